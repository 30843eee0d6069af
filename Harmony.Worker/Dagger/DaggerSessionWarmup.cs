using Harmony.Worker.Activities;

namespace Harmony.Worker.Dagger;

/// <summary>
/// Starts the worker's own Dagger session as the host starts instead of inside the first capability run: the CLI may
/// first pull the engine image, which takes minutes, longer than a capability's timeout, and a run that timed out
/// would stop the half-started session for the next one to begin again.
/// </summary>
internal sealed partial class DaggerSessionWarmup(
    CapabilityExecutionSettings execution,
    DaggerSessionProvider sessions,
    ILogger<DaggerSessionWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without containers to run there is nothing to start; a session given from outside the provider hands out
        // without starting anything.
        if (!execution.DaggerEnabled)
        {
            return;
        }

        try
        {
            await sessions.GetAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (DaggerUnavailableException e)
        {
            // The worker polls all the same; the first capability run tries to start a session again.
            LogWarmupFailed(logger, e.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stopped before the session was up; the provider has stopped the CLI.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not start a Dagger session at startup; the first capability run tries again: {Reason}")]
    private static partial void LogWarmupFailed(ILogger logger, string reason);
}
