namespace Harmony.Core.Catalog;

/// <summary>How the worker retries a capability's activity.</summary>
/// <param name="MaximumAttempts">Attempts in all, including the first; 1 means never retried.</param>
/// <param name="InitialInterval">Wait before the first retry.</param>
/// <param name="BackoffCoefficient">Factor by which each wait grows.</param>
/// <param name="MaximumInterval">Longest wait between attempts.</param>
/// <param name="NonRetryableErrorTypes">Failure types never retried, besides Harmony's own non-retryable ones.</param>
public sealed record CapabilityRetryPolicy(
    int MaximumAttempts,
    TimeSpan InitialInterval,
    double BackoffCoefficient,
    TimeSpan MaximumInterval,
    IReadOnlyList<string> NonRetryableErrorTypes)
{
    /// <summary>Three attempts, one second apart and doubling, up to 30 seconds.</summary>
    public static CapabilityRetryPolicy Default { get; } =
        new(3, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30), []);

    /// <summary>One attempt: for work that must not run twice.</summary>
    public static CapabilityRetryPolicy Never { get; } =
        new(1, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(1), []);
}
