using k8s;

namespace Harmony.AppHost.Kubernetes;

/// <summary>The objects written for one resource, each with the file it goes to, relative to the output directory.</summary>
internal sealed record KubernetesWorkload(IReadOnlyList<(string File, IKubernetesObject Object)> Objects)
{
    /// <summary>The Secret keys (secret parameters) the workload's pods read.</summary>
    public required IReadOnlySet<string> SecretKeys { get; init; }

    /// <summary>The managed services' addresses the workload's pods read, by their infrastructure ConfigMap key.</summary>
    public required IReadOnlyDictionary<string, string> Infrastructure { get; init; }
}
