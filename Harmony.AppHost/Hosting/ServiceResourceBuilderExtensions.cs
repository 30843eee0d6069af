using Harmony.AppHost.Keycloak;
using Harmony.Core.Workflows;

namespace Harmony.AppHost.Hosting;

/// <summary>The environment variables through which the MCP server and the worker find the infrastructure.</summary>
internal static class ServiceResourceBuilderExtensions
{
    /// <summary>Sets <c>TEMPORAL_ADDRESS</c>, <c>TEMPORAL_NAMESPACE</c> and <c>TEMPORAL_TASK_QUEUE</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithTemporalSettings(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<IResourceWithConnectionString> temporal) =>
        builder
            .WithEnvironment("TEMPORAL_ADDRESS", temporal)
            .WithEnvironment("TEMPORAL_NAMESPACE", TemporalDefaults.Namespace)
            .WithEnvironment("TEMPORAL_TASK_QUEUE", TemporalDefaults.TaskQueue);

    /// <summary>Sets <c>BAO_ADDR</c>, <c>BAO_TOKEN</c> and <c>BAO_KV_MOUNT</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithOpenBaoSettings(
        this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<IResourceWithConnectionString> openBao,
        IResourceBuilder<ParameterResource> token) =>
        builder
            .WithEnvironment("BAO_ADDR", openBao)
            .WithEnvironment("BAO_TOKEN", token)
            .WithEnvironment("BAO_KV_MOUNT", HarmonySettings.KvMount);

    /// <summary>
    /// Sets the OIDC authority (the realm's URL) and the audience tokens must carry. The local Keycloak speaks plain
    /// HTTP, so for it alone the service may fetch the authority's metadata without TLS.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOidcSettings(
        this IResourceBuilder<ProjectResource> builder,
        IResourceBuilder<IResourceWithConnectionString> keycloak,
        string audience)
    {
        builder
            .WithEnvironment("Harmony__Auth__Authority", keycloak)
            .WithEnvironment("Harmony__Auth__Audience", audience);
        return keycloak.Resource is KeycloakResource
            ? builder.WithEnvironment("Harmony__Auth__AllowHttpMetadata", "true")
            : builder;
    }
}
