using k8s;
using k8s.Models;

namespace Harmony.AppHost.Kubernetes;

// Cilium's custom resources have no models in the Kubernetes client library; these carry the fields we write. KubernetesYaml
// names a field by camel-casing its property, which gives the names of Cilium's CRD (hence ToFQDNs)
// (https://docs.cilium.io/en/stable/security/policy/language/#dns-based).

/// <summary>A <c>CiliumNetworkPolicy</c> (<c>cilium.io/v2</c>).</summary>
internal sealed class CiliumNetworkPolicy : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "cilium.io/v2";

    public string Kind { get; set; } = "CiliumNetworkPolicy";

    public V1ObjectMeta Metadata { get; set; } = new();

    public CiliumPolicyRule Spec { get; set; } = new();
}

internal sealed class CiliumPolicyRule
{
    public string? Description { get; set; }

    public V1LabelSelector EndpointSelector { get; set; } = new();

    public IList<CiliumEgressRule> Egress { get; set; } = [];
}

internal sealed class CiliumEgressRule
{
    public IList<V1LabelSelector>? ToEndpoints { get; set; }

    public IList<CiliumFqdnSelector>? ToFQDNs { get; set; }

    public IList<CiliumPortRule>? ToPorts { get; set; }
}

internal sealed class CiliumFqdnSelector
{
    public string? MatchName { get; set; }

    public string? MatchPattern { get; set; }
}

internal sealed class CiliumPortRule
{
    public IList<CiliumPortProtocol> Ports { get; set; } = [];

    public CiliumL7Rules? Rules { get; set; }
}

internal sealed class CiliumPortProtocol
{
    public string Port { get; set; } = string.Empty;

    public string Protocol { get; set; } = "ANY";
}

internal sealed class CiliumL7Rules
{
    public IList<CiliumFqdnSelector> Dns { get; set; } = [];
}
