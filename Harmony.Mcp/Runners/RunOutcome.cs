using System.Text.Json;

namespace Harmony.Mcp.Runners;

/// <summary>How a run through Temporal ended, as far as the MCP answer is concerned.</summary>
public abstract record RunOutcome
{
    private RunOutcome()
    {
    }

    /// <summary>The workflow finished and returned <paramref name="Result"/>.</summary>
    public sealed record Completed(JsonElement Result, WorkflowHandleInfo Handle) : RunOutcome;

    /// <summary>The workflow was started; the caller follows it by its handle.</summary>
    public sealed record Started(WorkflowHandleInfo Handle) : RunOutcome;

    /// <summary>The await timed out, but a worker is polling: the workflow is still running.</summary>
    public sealed record StillRunning(WorkflowHandleInfo Handle) : RunOutcome;

    /// <summary>
    /// The await timed out and no worker has polled the task queue recently; <paramref name="LastPoll"/> is the latest
    /// poll Temporal still lists, if any.
    /// </summary>
    public sealed record WorkerNotRunning(WorkflowHandleInfo Handle, string TaskQueue, DateTimeOffset? LastPoll)
        : RunOutcome;

    /// <summary>The workflow failed.</summary>
    public sealed record Failed(WorkflowHandleInfo Handle, string Message, string? FailureType, bool NonRetryable) : RunOutcome;

    /// <summary>Temporal could not be reached; <paramref name="Handle"/> is set when the workflow had already started.</summary>
    public sealed record TemporalUnavailable(string Reason, WorkflowHandleInfo? Handle) : RunOutcome;

    /// <summary>No Temporal address is configured.</summary>
    public sealed record NotConfigured : RunOutcome;
}
