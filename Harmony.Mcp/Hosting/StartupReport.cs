using Harmony.Mcp.Configuration;

namespace Harmony.Mcp.Hosting;

/// <summary>Says once, at start, how the server is set up, so an operator can see it in the first lines of the log.</summary>
public sealed partial class StartupReport(McpServerSettings settings, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(logger, settings.TemporalAddress ?? "(none: calls answer NOT_CONFIGURED)", settings.TemporalNamespace,
            settings.TaskQueue, settings.CapabilityBehavior, settings.AwaitTimeout.TotalMilliseconds);
        if (settings.EnvelopeSecret is null)
        {
            LogEnvelopesOff(logger);
        }
        else
        {
            LogEnvelopesOn(logger, settings.RequireEnvelope);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Harmony MCP: Temporal {TemporalAddress}, namespace {TemporalNamespace}, task queue {TaskQueue}, behavior {Behavior}, await timeout {AwaitTimeoutMs} ms")]
    private static partial void LogStarting(
        ILogger logger, string temporalAddress, string temporalNamespace, string taskQueue, CapabilityBehavior behavior, double awaitTimeoutMs);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "MCP_ENVELOPE_HMAC_SECRET is not set: signed envelopes are not checked, and calls run as the configured default identity")]
    private static partial void LogEnvelopesOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed envelopes are checked; required: {RequireEnvelope}")]
    private static partial void LogEnvelopesOn(ILogger logger, bool requireEnvelope);
}
