using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Client;

namespace Harmony.AppHost.Temporal;

/// <summary>
/// Healthy when the Temporal frontend answers gRPC's health check for its WorkflowService; an open port alone is not
/// enough, since the server listens well before its services are ready.
/// </summary>
internal sealed class TemporalHealthCheck(Func<string?> address) : IHealthCheck
{
    private TemporalConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (address() is not { } target)
        {
            return HealthCheckResult.Unhealthy("The Temporal frontend has no address yet.");
        }

        try
        {
            _connection ??= await TemporalConnection.ConnectAsync(new TemporalConnectionOptions(target)).ConfigureAwait(false);
            var options = new RpcOptions { CancellationToken = cancellationToken, Timeout = TimeSpan.FromSeconds(5) };
            var serving = await _connection.CheckHealthAsync(options: options).ConfigureAwait(false);
            return serving
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The Temporal frontend at {target} is not serving yet.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The Temporal frontend at {target} does not answer.", e);
        }
    }

    /// <summary>The host-side <c>host:port</c> of <paramref name="endpoint"/>, once Aspire has allocated it.</summary>
    public static string? AddressOf(EndpointReference endpoint) =>
        endpoint.IsAllocated ? $"{endpoint.Host}:{endpoint.Port}" : null;
}
