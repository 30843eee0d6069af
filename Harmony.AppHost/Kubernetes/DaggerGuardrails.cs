using Harmony.Core.Catalog;
using k8s;
using k8s.Models;

namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// The guardrails of the namespace where the Dagger engine runs capability containers: a resource quota, egress denied
/// by default, a Cilium FQDN allowlist made of exactly the hosts the catalog's capabilities declare (plus DNS), and an
/// admission policy that lets pods there use ephemeral volumes only. Written by publishing and kept in k8s/dagger/.
/// </summary>
internal static class DaggerGuardrails
{
    public const string Namespace = "dagger";

    /// <summary>The label the admission policy's binding selects namespaces by.</summary>
    public const string GuardrailsLabel = "harmony.platform/dagger-guardrails";
    public const string GuardrailsLabelValue = "enforced";

    public const string PolicyName = "harmony-dagger-ephemeral-volumes";

    // Pods there may keep state only in volumes that live and die with the pod: emptyDir and generic ephemeral
    // volumes. Anything else (hostPath, persistentVolumeClaim, nfs, a Secret or ConfigMap, …) would let a pod keep or
    // read state beyond its own run. The one exception is the service account token volume the API server adds to
    // every pod that mounts a token (a projected volume of a token, the cluster CA and the namespace name); a
    // projected volume of anything else is refused.
    public const string EphemeralVolumesExpression =
        "!has(object.spec.volumes) || object.spec.volumes.all(v, has(v.emptyDir) || has(v.ephemeral)"
        + " || (has(v.projected) && (!has(v.projected.sources) || v.projected.sources.all(s,"
        + " has(s.serviceAccountToken) || has(s.downwardAPI)"
        + " || (has(s.configMap) && s.configMap.name == 'kube-root-ca.crt')))))";

    /// <summary>The guardrails, each with its file name under <c>dagger/</c>.</summary>
    public static IReadOnlyList<(string File, IKubernetesObject Object)> For(HarmonyCatalog catalog) =>
    [
        ("namespace.yaml", NamespaceObject()),
        ("resourcequota.yaml", Quota()),
        ("networkpolicy-deny-all.yaml", DenyAllEgress()),
        ("cilium-networkpolicy-allowlist.yaml", Allowlist(catalog)),
        ("validating-admission-policy.yaml", EphemeralVolumePolicy()),
        ("validating-admission-policy-binding.yaml", EphemeralVolumePolicyBinding()),
    ];

    private static Dictionary<string, string> Labels() => new(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/part-of"] = WorkloadFactory.PartOf,
        ["app.kubernetes.io/component"] = "dagger-guardrails",
    };

    private static V1ObjectMeta Metadata(string name, bool namespaced = true) =>
        new() { Name = name, NamespaceProperty = namespaced ? Namespace : null, Labels = Labels() };

    private static V1Namespace NamespaceObject()
    {
        var metadata = Metadata(Namespace, namespaced: false);
        metadata.Labels[GuardrailsLabel] = GuardrailsLabelValue;

        // The engine runs privileged; capability containers are its children, not pods, so the pod security level
        // cannot be stricter than the engine needs.
        metadata.Labels["pod-security.kubernetes.io/enforce"] = "privileged";
        return new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = metadata };
    }

    private static V1ResourceQuota Quota() => new()
    {
        ApiVersion = "v1",
        Kind = "ResourceQuota",
        Metadata = Metadata("dagger-execution-quota"),
        Spec = new V1ResourceQuotaSpec
        {
            Hard = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["pods"] = new("20"),
                ["requests.cpu"] = new("8"),
                ["limits.cpu"] = new("16"),
                ["requests.memory"] = new("16Gi"),
                ["limits.memory"] = new("32Gi"),
                ["requests.ephemeral-storage"] = new("100Gi"),
                ["limits.ephemeral-storage"] = new("200Gi"),
                // Generic ephemeral volumes are claims too; the admission policy keeps them the only kind.
                ["persistentvolumeclaims"] = new("10"),
                ["requests.storage"] = new("500Gi"),
                ["services.loadbalancers"] = new("0"),
                ["services.nodeports"] = new("0"),
            },
        },
    };

    private static V1NetworkPolicy DenyAllEgress() => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Metadata("default-deny-egress"),
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = ["Egress"],
        },
    };

    /// <summary>Exactly the catalog's outbound hosts, each a name or a <c>*.</c> pattern, and DNS through the proxy.</summary>
    private static CiliumNetworkPolicy Allowlist(HarmonyCatalog catalog) => new()
    {
        Metadata = Metadata("capability-egress-allowlist"),
        Spec = new CiliumPolicyRule
        {
            Description = "Egress the catalog's capabilities declare (security.allowedOutboundHosts), generated from the catalog.",
            EndpointSelector = new V1LabelSelector(),
            Egress =
            [
                new CiliumEgressRule
                {
                    // FQDN rules only see names that DNS through Cilium's proxy resolved.
                    ToEndpoints =
                    [
                        new V1LabelSelector
                        {
                            MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal)
                            {
                                ["k8s:io.kubernetes.pod.namespace"] = "kube-system",
                                ["k8s:k8s-app"] = "kube-dns",
                            },
                        },
                    ],
                    ToPorts =
                    [
                        new CiliumPortRule
                        {
                            Ports = [new CiliumPortProtocol { Port = "53", Protocol = "ANY" }],
                            Rules = new CiliumL7Rules { Dns = [new CiliumFqdnSelector { MatchPattern = "*" }] },
                        },
                    ],
                },
                new CiliumEgressRule { ToFQDNs = [.. catalog.OutboundHosts().Select(FqdnSelector)] },
            ],
        },
    };

    /// <summary>
    /// A catalog host as Cilium selects it. The catalog's <c>*.example.com</c> means any name below example.com, at any
    /// depth (<c>api.shop.svc.cluster.local</c> for <c>*.svc.cluster.local</c>); Cilium's <c>*</c> matches one label
    /// only, and a leading <c>**.</c> any number (Cilium 1.19 and later; earlier versions read it as <c>*.</c>).
    /// </summary>
    private static CiliumFqdnSelector FqdnSelector(string host) =>
        host.StartsWith("*.", StringComparison.Ordinal)
            ? new CiliumFqdnSelector { MatchPattern = $"*{host}" }
            : new CiliumFqdnSelector { MatchName = host };

    private static V1ValidatingAdmissionPolicy EphemeralVolumePolicy() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingAdmissionPolicy",
        Metadata = Metadata(PolicyName, namespaced: false),
        Spec = new V1ValidatingAdmissionPolicySpec
        {
            FailurePolicy = "Fail",
            MatchConstraints = new V1MatchResources
            {
                ResourceRules =
                [
                    new V1NamedRuleWithOperations
                    {
                        ApiGroups = [""],
                        ApiVersions = ["v1"],
                        Operations = ["CREATE", "UPDATE"],
                        Resources = ["pods"],
                    },
                ],
            },
            Validations =
            [
                new V1Validation
                {
                    Expression = EphemeralVolumesExpression,
                    Message = "Pods in the Dagger execution namespace may use only emptyDir and generic ephemeral "
                        + "volumes (and the service account token volume).",
                    Reason = "Forbidden",
                },
            ],
        },
    };

    private static V1ValidatingAdmissionPolicyBinding EphemeralVolumePolicyBinding() => new()
    {
        ApiVersion = "admissionregistration.k8s.io/v1",
        Kind = "ValidatingAdmissionPolicyBinding",
        Metadata = Metadata(PolicyName, namespaced: false),
        Spec = new V1ValidatingAdmissionPolicyBindingSpec
        {
            PolicyName = PolicyName,
            ValidationActions = ["Deny"],
            MatchResources = new V1MatchResources
            {
                NamespaceSelector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [GuardrailsLabel] = GuardrailsLabelValue },
                },
            },
        },
    };
}
