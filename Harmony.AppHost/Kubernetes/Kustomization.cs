
namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// A kustomize <c>kustomization.yaml</c>: the list of files <c>kubectl apply -k</c> applies. kustomize has no model in the
/// Kubernetes client library; this carries the fields we write (https://kubectl.docs.kubernetes.io/references/kustomize/).
/// </summary>
internal sealed class Kustomization
{
    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; set; } = "Kustomization";

    public IList<string> Resources { get; set; } = [];
}
