namespace Harmony.Core.Errors;

/// <summary>The <c>error</c> of a failed <c>tools/call</c>, in <c>structuredContent</c>.</summary>
public static class ToolErrorCodes
{
    /// <summary>No valid identity: a missing, invalid or unsigned envelope where one is required.</summary>
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>The caller lacks a role the tool requires.</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>The arguments do not match the tool's input schema.</summary>
    public const string InputValidationFailed = "INPUT_VALIDATION_FAILED";

    /// <summary>The tool is classified RESTRICTED and runs only with approval.</summary>
    public const string ApprovalRequired = "APPROVAL_REQUIRED";

    /// <summary>The server has no runner for this tool.</summary>
    public const string NotConfigured = "NOT_CONFIGURED";

    /// <summary>Temporal could not be reached.</summary>
    public const string TemporalUnavailable = "TEMPORAL_UNAVAILABLE";

    /// <summary>The workflow was started, but no worker is polling its task queue.</summary>
    public const string WorkerNotRunning = "WORKER_NOT_RUNNING";

    /// <summary>The workflow ran and failed.</summary>
    public const string RunnerError = "RUNNER_ERROR";

    /// <summary>Every code, in the order the checks of a call run.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Unauthorized, InputValidationFailed, Forbidden, ApprovalRequired, NotConfigured, TemporalUnavailable,
        WorkerNotRunning, RunnerError,
    ];
}
