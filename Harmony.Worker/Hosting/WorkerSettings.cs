using System.Reflection;
using Harmony.Core.Workflows;

namespace Harmony.Worker.Hosting;

/// <summary>Where the worker finds Temporal and how it names itself, read from the environment or configuration.</summary>
internal sealed record WorkerSettings(string Address, string Namespace, string TaskQueue, string BuildId, TimeSpan ShutdownGrace)
{
    public const string DeploymentName = "harmony-worker";

    /// <summary>
    /// What identifies a build when <c>WORKER_BUILD_ID</c> is unset: the informational version, which the SDK suffixes
    /// with the source commit when it builds from a repository.
    /// </summary>
    private static string DefaultBuildId =>
        typeof(WorkerSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    public static WorkerSettings From(IConfiguration configuration)
    {
        var grace = int.TryParse(configuration["WORKER_SHUTDOWN_GRACE_SECONDS"], out var seconds) && seconds > 0 ? seconds : 25;
        return new WorkerSettings(
            Read(configuration, "TEMPORAL_ADDRESS", TemporalDefaults.Address),
            Read(configuration, "TEMPORAL_NAMESPACE", TemporalDefaults.Namespace),
            Read(configuration, "TEMPORAL_TASK_QUEUE", TemporalDefaults.TaskQueue),
            Read(configuration, "WORKER_BUILD_ID", DefaultBuildId),
            TimeSpan.FromSeconds(grace));
    }

    private static string Read(IConfiguration configuration, string key, string fallback) =>
        configuration[key] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;
}
