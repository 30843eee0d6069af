using System.Globalization;
using System.Reflection;
using Harmony.Core.Configuration;
using Harmony.Core.Workflows;

namespace Harmony.Worker.Hosting;

/// <summary>Where the worker finds Temporal and how it names itself, read from the environment or configuration.</summary>
internal sealed record WorkerSettings(
    string Address, string Namespace, string TaskQueue, string BuildId, TimeSpan ShutdownGrace, int MaxConcurrentActivities)
{
    public const string DeploymentName = "harmony-worker";

    /// <summary>
    /// What identifies a build when <c>WORKER_BUILD_ID</c> is unset: the informational version, which the SDK suffixes
    /// with the source commit when it builds from a repository.
    /// </summary>
    private static string DefaultBuildId =>
        typeof(WorkerSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>
    /// Capability runs one worker takes at once. Each is a container in the Dagger engine, so the SDK's default of 100
    /// would pile them onto one engine, and the task queue would show no backlog for the autoscaler to act on.
    /// </summary>
    private const int DefaultMaxConcurrentActivities = 10;

    public static WorkerSettings From(IConfiguration configuration) => new(
        Read(configuration, "TEMPORAL_ADDRESS", TemporalDefaults.Address),
        Read(configuration, "TEMPORAL_NAMESPACE", TemporalDefaults.Namespace),
        Read(configuration, "TEMPORAL_TASK_QUEUE", TemporalDefaults.TaskQueue),
        Read(configuration, "WORKER_BUILD_ID", DefaultBuildId),
        TimeSpan.FromSeconds(PositiveInteger(configuration, "WORKER_SHUTDOWN_GRACE_SECONDS", 25)),
        PositiveInteger(configuration, "WORKER_MAX_CONCURRENT_ACTIVITIES", DefaultMaxConcurrentActivities));

    private static int PositiveInteger(IConfiguration configuration, string key, int fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidConfigurationException($"{key} '{text}' is not a whole number greater than 0.");
    }

    private static string Read(IConfiguration configuration, string key, string fallback) =>
        configuration[key] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : fallback;
}
