using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harmony.AppHost.Hosting;

/// <summary>What the AppHost does when no container runtime answers: start what can start, and say what cannot.</summary>
internal static class ContainerRuntimeExtensions
{
    /// <summary>Set to false to keep every wait even when no container runtime answers (the model tests do).</summary>
    public const string SettingKey = "Harmony:StartWithoutContainerRuntime";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Before the run starts, asks the container runtime whether it answers. When it does not, logs which resources
    /// cannot start and why, and lets the projects start without waiting for those containers, so that their own
    /// health checks and answers show what is missing instead of a dashboard full of "Waiting".
    /// </summary>
    public static IDistributedApplicationBuilder StartWhatCanStartWithoutContainerRuntime(
        this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode || !builder.Configuration.GetValue(SettingKey, defaultValue: true))
        {
            return builder;
        }

        var runtime = ContainerRuntimeProbe.RuntimeName(builder.Configuration);
        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, cancellationToken) =>
        {
            var containers = @event.Model.Resources.Where(r => r.IsContainer()).Select(r => r.Name).ToList();
            if (containers.Count == 0)
            {
                return;
            }

            var problem = await ContainerRuntimeProbe.FindProblemAsync(runtime, ProbeTimeout, cancellationToken).ConfigureAwait(false);
            if (problem is null)
            {
                return;
            }

            var released = PrepareRunWithoutContainers(@event.Model);
            var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Harmony.AppHost");
            logger.LogWarning(
                "No container runtime answers ({Problem}). These resources cannot start: {Containers}. {Services} start "
                + "anyway and report through their health checks what they miss. Start Docker or Podman and run again, or "
                + "name existing services in configuration (ConnectionStrings:temporal, :keycloak, :openbao, :temporal-ui; "
                + "see docs/local-run.md).",
                problem,
                string.Join(", ", containers),
                released.Count == 0 ? "No service" : string.Join(", ", released));
        });
        return builder;
    }

    /// <summary>
    /// Removes every wait of a project on a container, and the containers' named volumes: the orchestrator waits for
    /// volumes that no runtime can create, then stops the whole run. Returns the names of the projects that waited.
    /// </summary>
    internal static IReadOnlyList<string> PrepareRunWithoutContainers(DistributedApplicationModel model)
    {
        foreach (var container in model.Resources.Where(r => r.IsContainer()))
        {
            var volumes = container.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume);
            foreach (var volume in volumes.ToList())
            {
                container.Annotations.Remove(volume);
            }
        }

        var released = new List<string>();
        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            var waits = project.Annotations.OfType<WaitAnnotation>().Where(w => w.Resource.IsContainer()).ToList();
            foreach (var wait in waits)
            {
                project.Annotations.Remove(wait);
            }

            if (waits.Count > 0)
            {
                released.Add(project.Name);
            }
        }

        return released;
    }
}
