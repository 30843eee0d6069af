using Aspire.Hosting.Pipelines;
using k8s.Models;

namespace Harmony.AppHost.Kubernetes;

/// <summary>Publishing the app model as Kubernetes manifests, and what resources tell the publisher about themselves.</summary>
internal static class KubernetesPublishingExtensions
{
    /// <summary>
    /// Adds the step that writes the Kubernetes manifests to <c>aspire publish</c> (and to
    /// <c>--operation publish --step publish</c> without the Aspire CLI).
    /// </summary>
    public static IDistributedApplicationBuilder AddKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
#pragma warning disable ASPIREPIPELINES001 // The pipeline API is experimental in Aspire 13; it is the only way to add a publish step.
        builder.Pipeline.AddStep(
            KubernetesManifestPublisher.StepName,
            KubernetesManifestPublisher.PublishAsync,
            dependsOn: WellKnownPipelineSteps.PublishPrereq,
            requiredBy: WellKnownPipelineSteps.Publish);
#pragma warning restore ASPIREPIPELINES001
        return builder;
    }

    /// <summary>
    /// True when publishing for managed infrastructure: Temporal, Keycloak and OpenBao are the platform's services,
    /// named by parameters of the output, and no container of ours stands in for them.
    /// </summary>
    public static bool PublishesForManagedInfrastructure(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsPublishMode
        && !KubernetesPublishSettings.From(builder.Configuration).InClusterInfrastructure;

    /// <summary>Leaves the resource out of published output unless in-cluster dev copies are asked for.</summary>
    public static IResourceBuilder<T> PublishOnlyAsInClusterCopy<T>(this IResourceBuilder<T> builder)
        where T : IResource =>
        builder.ApplicationBuilder.PublishesForManagedInfrastructure() ? builder.ExcludeFromManifest() : builder;

    /// <summary>Publishes the resource as a Job that runs once to completion.</summary>
    public static IResourceBuilder<T> PublishAsKubernetesJob<T>(this IResourceBuilder<T> builder)
        where T : IResource =>
        builder.WithAnnotation(new KubernetesJobAnnotation());

    /// <summary>Changes the Deployment published for the resource.</summary>
    public static IResourceBuilder<T> PublishWithKubernetesDeployment<T>(this IResourceBuilder<T> builder, Action<V1Deployment> configure)
        where T : IResource =>
        builder.WithAnnotation(new KubernetesDeploymentAnnotation(configure));

    /// <summary>
    /// Publishes a PodDisruptionBudget that keeps <paramref name="minAvailable"/> of the Deployment's pods running while
    /// nodes are drained.
    /// </summary>
    public static IResourceBuilder<T> PublishWithDisruptionBudget<T>(this IResourceBuilder<T> builder, int minAvailable)
        where T : IResource
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minAvailable);
        return builder.WithAnnotation(new KubernetesDisruptionBudgetAnnotation(minAvailable));
    }

    /// <summary>Scales the published Deployment with KEDA on the backlog of <paramref name="taskQueue"/>.</summary>
    public static IResourceBuilder<T> PublishWithTaskQueueAutoscaling<T>(
        this IResourceBuilder<T> builder,
        string temporalNamespace,
        string taskQueue,
        int minReplicas = 1,
        int maxReplicas = 10,
        int targetBacklogPerReplica = 5)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new TaskQueueAutoscalingAnnotation(
            "TEMPORAL_ADDRESS", temporalNamespace, taskQueue, minReplicas, maxReplicas, targetBacklogPerReplica));
}
