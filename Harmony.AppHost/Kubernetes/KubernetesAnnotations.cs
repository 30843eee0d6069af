using k8s.Models;

namespace Harmony.AppHost.Kubernetes;

/// <summary>Publish this resource as a Kubernetes Job that runs to completion, not as a Deployment.</summary>
internal sealed class KubernetesJobAnnotation : IResourceAnnotation;

/// <summary>Changes the Deployment written for the resource, after the publisher has built it.</summary>
internal sealed class KubernetesDeploymentAnnotation(Action<V1Deployment> configure) : IResourceAnnotation
{
    public Action<V1Deployment> Configure { get; } = configure;
}

/// <summary>Keep at least <paramref name="MinAvailable"/> of the resource's pods running through voluntary disruptions.</summary>
/// <param name="MinAvailable">Pods a node drain or a cluster upgrade must leave running.</param>
internal sealed record KubernetesDisruptionBudgetAnnotation(int MinAvailable) : IResourceAnnotation;

/// <summary>Scale the resource's Deployment with KEDA on the backlog of a Temporal task queue.</summary>
/// <param name="AddressVariable">The container's environment variable holding the Temporal frontend's address.</param>
/// <param name="TemporalNamespace">The Temporal namespace of the task queue.</param>
/// <param name="TaskQueue">The task queue the workers poll.</param>
/// <param name="MinReplicas">Replicas kept when the queue is empty.</param>
/// <param name="MaxReplicas">The ceiling.</param>
/// <param name="TargetBacklogPerReplica">The backlog one replica is expected to carry.</param>
internal sealed record TaskQueueAutoscalingAnnotation(
    string AddressVariable,
    string TemporalNamespace,
    string TaskQueue,
    int MinReplicas,
    int MaxReplicas,
    int TargetBacklogPerReplica) : IResourceAnnotation;
