using Harmony.Mcp.Configuration;
using Temporalio.Client;
using Temporalio.Runtime;

namespace Harmony.Mcp.Runners;

/// <summary>
/// One lazily connected Temporal client. Nothing is dialled until the first call, and a failed connection is not
/// remembered, so the server starts without Temporal and recovers by itself once Temporal is back.
/// </summary>
public sealed class TemporalClientProvider
{
    private readonly Lazy<ITemporalClient?> _client;

    public TemporalClientProvider(McpServerSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _client = new Lazy<ITemporalClient?>(() => settings.TemporalAddress is { } address
            ? TemporalClient.CreateLazy(new TemporalClientConnectOptions(address)
            {
                Namespace = settings.TemporalNamespace,
                LoggerFactory = loggerFactory,
                Runtime = CreateRuntime(loggerFactory),
                Interceptors = [new TraceContextClientInterceptor()],
            })
            : null);
    }

    /// <summary>The client, or null when no Temporal address is configured.</summary>
    public ITemporalClient? Client => _client.Value;

    // The SDK's native core logs to stdout unless told otherwise, which would corrupt the stdio transport.
    private static TemporalRuntime CreateRuntime(ILoggerFactory loggerFactory) => new(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Logging = new LoggingOptions
            {
                Filter = new TelemetryFilterOptions(TelemetryFilterOptions.Level.Warn),
                Forwarding = new LogForwardingOptions { Logger = loggerFactory.CreateLogger("Temporalio.Core") },
            },
        },
    });
}
