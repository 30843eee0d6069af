namespace Harmony.Worker.Activities;

/// <summary>Whether this worker runs containers at all (<c>ENABLE_DAGGER_E2E</c>), and how often it heartbeats meanwhile.</summary>
internal sealed record CapabilityExecutionSettings(bool DaggerEnabled, TimeSpan HeartbeatInterval)
{
    public static CapabilityExecutionSettings From(IConfiguration configuration) => new(
        configuration["ENABLE_DAGGER_E2E"]?.Trim() is { } enabled
            && (enabled == "1" || enabled.Equals("true", StringComparison.OrdinalIgnoreCase)),

        // Well inside the heartbeat timeout the workflows set, so one late beat doesn't fail a healthy run.
        TimeSpan.FromSeconds(5));
}
