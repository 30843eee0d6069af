using System.Globalization;
using Harmony.AppHost.Keycloak;
using Harmony.AppHost.Kubernetes;
using Harmony.Core.Catalog;
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

    /// <summary>The worker's <c>WORKER_BUILD_ID</c>: <c>local</c> in a local run; published, the image tag it runs.</summary>
    public static string WorkerBuildId(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode
            ? HarmonySettings.WorkerBuildId
            : KubernetesPublishSettings.From(builder.Configuration).ImageTag;

    /// <summary>
    /// Published, the worker drains in-flight activities for as long as the slowest capability may run, and its pod is
    /// given that long to stop. Locally the worker's default applies, so stopping a run stays quick.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishWithGracefulDrain(this IResourceBuilder<ProjectResource> builder)
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        var drainSeconds = (long)Math.Ceiling(BuiltInCatalog.Default.Capabilities.Max(c => c.Operations.Timeout).TotalSeconds);
        return builder
            .WithEnvironment("WORKER_SHUTDOWN_GRACE_SECONDS", drainSeconds.ToString(CultureInfo.InvariantCulture))
            // The host waits 5 s beyond the drain; the rest lets the process exit before the kubelet kills it.
            .PublishWithKubernetesDeployment(deployment => deployment.Spec.Template.Spec.TerminationGracePeriodSeconds = drainSeconds + 15);
    }

    /// <summary>
    /// The MCP server as interchangeable replicas: Streamable HTTP without sessions (<c>MCP_HTTP_STATELESS</c>), so a
    /// plain Service spreads requests over them with no session affinity. Published, <paramref name="replicas"/> pods
    /// and a disruption budget that keeps one serving through a node drain; locally, one process as before.
    /// </summary>
    public static IResourceBuilder<ProjectResource> PublishAsStatelessReplicas(
        this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 2);

        // A fixed value, not a parameter: setting it false under several replicas would break every client.
        builder.WithEnvironment("MCP_HTTP_STATELESS", "true");
        return builder.ApplicationBuilder.ExecutionContext.IsPublishMode
            ? builder.WithReplicas(replicas).PublishWithDisruptionBudget(minAvailable: 1)
            : builder;
    }
}
