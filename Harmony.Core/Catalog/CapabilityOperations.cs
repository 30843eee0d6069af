namespace Harmony.Core.Catalog;

/// <summary>How a capability behaves when run: idempotence, retries, time limit and relative cost.</summary>
/// <param name="IsReadOnly">Whether it only reads: it changes nothing outside its container.</param>
/// <param name="IsIdempotent">Whether running it twice with the same input has the effect of running it once.</param>
/// <param name="RetryPolicy">How its activity is retried.</param>
/// <param name="Timeout">The longest one attempt may run (the activity's start-to-close timeout).</param>
/// <param name="CostFactor">Relative cost of one run, 1 being a trivial container.</param>
public sealed record CapabilityOperations(
    bool IsReadOnly,
    bool IsIdempotent,
    CapabilityRetryPolicy RetryPolicy,
    TimeSpan Timeout,
    double CostFactor);
