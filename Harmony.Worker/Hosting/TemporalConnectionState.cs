using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harmony.Worker.Hosting;

/// <summary>Whether the worker is connected to Temporal and polling; <c>/health</c> answers 503 until it is.</summary>
internal sealed class TemporalConnectionState : IHealthCheck
{
    private volatile string _status = "not connected to Temporal yet";
    private volatile bool _polling;

    public void Polling(string description)
    {
        _status = description;
        _polling = true;
    }

    public void NotPolling(string reason)
    {
        _status = reason;
        _polling = false;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_polling ? HealthCheckResult.Healthy(_status) : HealthCheckResult.Unhealthy(_status));
}
