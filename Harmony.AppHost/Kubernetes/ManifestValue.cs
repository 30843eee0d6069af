namespace Harmony.AppHost.Kubernetes;

/// <summary>What an environment variable's value becomes in the published manifests.</summary>
internal abstract record ManifestValue
{
    /// <summary>A value known at publish time, written into the workload's ConfigMap.</summary>
    public sealed record Literal(string Value) : ManifestValue;

    /// <summary>A secret parameter: a key of the Secret the platform team creates; the output never holds its value.</summary>
    public sealed record SecretKey(string Key) : ManifestValue;

    /// <summary>The address of a managed service: a key of the infrastructure ConfigMap, a parameter of the output.</summary>
    public sealed record InfrastructureKey(string Key, string Address) : ManifestValue;
}
