using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Harmony.AppHost.Kubernetes;

/// <summary>What publishing to Kubernetes is told on the command line or in configuration (<c>Harmony:Kubernetes:*</c>).</summary>
/// <param name="Namespace">The namespace the MCP server and the worker (and any in-cluster copies) are written into.</param>
/// <param name="ImageRegistry">
/// The registry host (and port) the service images were pushed to, as <c>ContainerRegistry</c> names it; empty for
/// images named without one.
/// </param>
/// <param name="ImageRepositoryPrefix">
/// A path in front of each service's repository (<c>acme</c> for <c>ghcr.io/acme/harmony-mcp</c>); empty for none.
/// </param>
/// <param name="ImageTag">The tag of the service images.</param>
/// <param name="InClusterInfrastructure">
/// True to publish Temporal, Keycloak and OpenBao (and Temporal's Postgres) as in-cluster dev copies; false, the default,
/// to treat them as the platform's managed services whose addresses are parameters of the output.
/// </param>
internal sealed record KubernetesPublishSettings(
    string Namespace, string ImageRegistry, string ImageRepositoryPrefix, string ImageTag, bool InClusterInfrastructure)
{
    public const string Section = "Harmony:Kubernetes";
    public const string InClusterInfrastructureKey = $"{Section}:InClusterInfrastructure";

    /// <summary>
    /// The image the .NET SDK's container publish gives <paramref name="repository"/> with these settings passed as
    /// <c>-p:ContainerRegistry</c>, <c>-p:ContainerRepository</c> and <c>-p:ContainerImageTag</c>.
    /// </summary>
    public string ImageFor(string repository)
    {
        var path = ImageRepositoryPrefix.Length > 0 ? $"{ImageRepositoryPrefix}/{repository}" : repository;
        return ImageRegistry.Length > 0 ? $"{ImageRegistry}/{path}:{ImageTag}" : $"{path}:{ImageTag}";
    }

    /// <summary>The tag when none is given: the version the services are built with, the same for the whole solution.</summary>
    public static string DefaultImageTag =>
        (typeof(KubernetesPublishSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "latest").Split('+')[0];

    public static KubernetesPublishSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var registry = (section["ImageRegistry"] ?? string.Empty).TrimEnd('/');
        if (registry.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{Section}:ImageRegistry is '{registry}', but it names a registry host only (ContainerRegistry in the .NET SDK); "
                + $"put the path after the host in {Section}:ImageRepositoryPrefix.");
        }

        return new KubernetesPublishSettings(
            section["Namespace"] is { Length: > 0 } ns ? ns : "harmony",
            registry,
            (section["ImageRepositoryPrefix"] ?? string.Empty).Trim('/'),
            section["ImageTag"] is { Length: > 0 } tag ? tag : DefaultImageTag,
            section.GetValue("InClusterInfrastructure", defaultValue: false));
    }
}
