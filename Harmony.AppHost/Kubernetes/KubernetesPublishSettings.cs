using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Harmony.AppHost.Kubernetes;

/// <summary>What publishing to Kubernetes is told on the command line or in configuration (<c>Harmony:Kubernetes:*</c>).</summary>
/// <param name="Namespace">The namespace the MCP server and the worker (and any in-cluster copies) are written into.</param>
/// <param name="ImageRegistry">The registry the service images were pushed to; empty for images named without one.</param>
/// <param name="ImageTag">The tag of the service images.</param>
/// <param name="InClusterInfrastructure">
/// True to publish Temporal, Keycloak and OpenBao (and Temporal's Postgres) as in-cluster dev copies; false, the default,
/// to treat them as the platform's managed services whose addresses are parameters of the output.
/// </param>
internal sealed record KubernetesPublishSettings(
    string Namespace, string ImageRegistry, string ImageTag, bool InClusterInfrastructure)
{
    public const string Section = "Harmony:Kubernetes";
    public const string InClusterInfrastructureKey = $"{Section}:InClusterInfrastructure";

    /// <summary>The tag when none is given: the version the services are built with, the same for the whole solution.</summary>
    public static string DefaultImageTag =>
        (typeof(KubernetesPublishSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "latest").Split('+')[0];

    public static KubernetesPublishSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new KubernetesPublishSettings(
            section["Namespace"] is { Length: > 0 } ns ? ns : "harmony",
            (section["ImageRegistry"] ?? string.Empty).TrimEnd('/'),
            section["ImageTag"] is { Length: > 0 } tag ? tag : DefaultImageTag,
            section.GetValue("InClusterInfrastructure", defaultValue: false));
    }
}
