using k8s;
using k8s.Models;

namespace Harmony.AppHost.Kubernetes;

// KEDA's custom resources have no models in the Kubernetes client library; these carry the fields we write. KubernetesYaml
// names a field by camel-casing its property, which gives the names of KEDA's CRD
// (https://keda.sh/docs/2.17/reference/scaledobject-spec/).

/// <summary>A KEDA <c>ScaledObject</c> (<c>keda.sh/v1alpha1</c>).</summary>
internal sealed class KedaScaledObject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "keda.sh/v1alpha1";

    public string Kind { get; set; } = "ScaledObject";

    public V1ObjectMeta Metadata { get; set; } = new();

    public KedaScaledObjectSpec Spec { get; set; } = new();
}

internal sealed class KedaScaledObjectSpec
{
    public KedaScaleTargetRef ScaleTargetRef { get; set; } = new();

    public int? MinReplicaCount { get; set; }

    public int? MaxReplicaCount { get; set; }

    public int? PollingInterval { get; set; }

    public KedaAdvancedConfig? Advanced { get; set; }

    public IList<KedaTrigger> Triggers { get; set; } = [];
}

internal sealed class KedaAdvancedConfig
{
    public KedaHorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

/// <summary>What KEDA passes on to the HPA it creates; the behaviour is the HPA's own type.</summary>
internal sealed class KedaHorizontalPodAutoscalerConfig
{
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

internal sealed class KedaScaleTargetRef
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string Name { get; set; } = string.Empty;
}

internal sealed class KedaTrigger
{
    public string Type { get; set; } = string.Empty;

    public string? Name { get; set; }

    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();
}
