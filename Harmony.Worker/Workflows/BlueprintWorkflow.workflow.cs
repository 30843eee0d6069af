using System.Text.Json;
using Harmony.Core.Catalog;
using Harmony.Core.Contexts;
using Harmony.Core.Workflows;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Harmony.Worker.Workflows;

/// <summary>
/// What every Harmony workflow shares: the caller's contexts from the memo, capability calls with the catalog's
/// timeouts and retry policy, and Saga compensations that run last-in first-out when the workflow fails.
/// </summary>
public abstract partial class BlueprintWorkflow
{
    /// <summary>How long a running container may go without a heartbeat before Temporal retries it elsewhere.</summary>
    internal static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The failure type of a capability output that lacks what the workflow needs from it.</summary>
    public const string UnexpectedOutput = "UNEXPECTED_OUTPUT";

    private readonly Stack<(string Description, Func<Task> Action)> _compensations = new();
    private SecurityContext? _securityContext;

    /// <summary>The caller, from the memo; read by <see cref="RequireSecurityContext"/> at the start of the run.</summary>
    protected SecurityContext SecurityContext =>
        _securityContext ?? throw new InvalidOperationException("RequireSecurityContext must run first.");

    /// <summary>
    /// Reads <c>golden.securityContext</c> from the memo; without it the workflow fails at once and is not retried.
    /// </summary>
    protected SecurityContext RequireSecurityContext() =>
        _securityContext = ReadMemo<SecurityContext>(MemoKeys.SecurityContext, HarmonyFailureTypes.SecurityContextMissingMessage);

    /// <summary>
    /// The workflow's argument. A workflow started without one (a client may send <c>null</c>) fails at once and is
    /// not retried: an exception of another kind would fail its workflow task over and over, and the workflow hang.
    /// </summary>
    protected static T RequireArgument<T>(T? argument)
        where T : class =>
        argument ?? throw InvalidArgument("The workflow was started without its argument.");

    /// <summary>The failure of a workflow whose argument lacks what it needs: not retried, since nothing would change.</summary>
    protected static ApplicationFailureException InvalidArgument(string message) =>
        new(message, HarmonyFailureTypes.ValidationFailed, nonRetryable: true);

    /// <summary>Runs a capability through the <c>executeDaggerCapability</c> activity and returns its output.</summary>
    protected async Task<JsonElement> ExecuteByIdAsync(
        string capabilityId,
        object input,
        JsonElement? config = null,
        IReadOnlyDictionary<string, string>? secretRefs = null,
        CancellationToken? cancellationToken = null)
    {
        var golden = ReadMemo<GoldenContext>(MemoKeys.GoldenContext, HarmonyFailureTypes.GoldenContextMissingMessage);
        if (!BuiltInCatalog.Default.TryGetCapability(capabilityId, out var capability))
        {
            throw new ApplicationFailureException(
                $"Capability '{capabilityId}' is not in the catalog.", HarmonyFailureTypes.UnknownCapability, nonRetryable: true);
        }

        var request = new ExecuteDaggerCapabilityInput(
            capabilityId,
            input as JsonElement? ?? JsonSerializer.SerializeToElement(input),
            config,
            secretRefs,
            SecurityContext.InitiatorId,
            SecurityContext.TraceId ?? golden.TraceId,
            golden);
        LogCalling(Workflow.Logger, capabilityId, request.RunAs);
        return await Workflow.ExecuteActivityAsync<JsonElement>(
            WorkflowNames.ExecuteDaggerCapabilityActivity,
            [request],
            ActivityOptionsFor(capability, cancellationToken));
    }

    /// <summary>Registers an undo step; if the workflow fails later, it runs before the failure is reported.</summary>
    protected void AddCompensation(string description, Func<Task> compensation) => _compensations.Push((description, compensation));

    /// <summary>
    /// Runs the workflow's steps; on failure runs the registered compensations newest first, then rethrows the
    /// original failure. A failing compensation is logged and the others still run.
    /// </summary>
    protected async Task<T> RunWithCompensationsAsync<T>(Func<Task<T>> steps)
    {
        try
        {
            return await steps();
        }
        catch (Exception e) when (e is FailureException or OperationCanceledException)
        {
            LogCompensating(Workflow.Logger, _compensations.Count, e.Message);
            while (_compensations.TryPop(out var compensation))
            {
                try
                {
                    await compensation.Action();
                }
                catch (Exception failure) when (failure is FailureException)
                {
                    LogCompensationFailed(Workflow.Logger, compensation.Description, failure.Message);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Reads a property of a capability's output; an output without it fails the workflow (not retried) instead of
    /// failing its task over and over, which is what an uncaught exception in workflow code would do.
    /// </summary>
    protected static JsonElement OutputProperty(JsonElement output, string capabilityId, string name, JsonValueKind kind)
    {
        if (output.ValueKind == JsonValueKind.Object && output.TryGetProperty(name, out var value) && value.ValueKind == kind)
        {
            return value;
        }

        throw new ApplicationFailureException(
            $"Capability {capabilityId} returned no {kind} '{name}' in {output.GetRawText()}.", UnexpectedOutput, nonRetryable: true);
    }

    internal static ActivityOptions ActivityOptionsFor(CapabilityDefinition capability, CancellationToken? cancellationToken = null)
    {
        var retry = capability.Operations.RetryPolicy;
        var timeout = capability.Operations.Timeout;
        return new ActivityOptions
        {
            StartToCloseTimeout = timeout,
            HeartbeatTimeout = timeout < HeartbeatTimeout ? timeout : HeartbeatTimeout,
            RetryPolicy = new RetryPolicy
            {
                MaximumAttempts = retry.MaximumAttempts,
                InitialInterval = retry.InitialInterval,
                BackoffCoefficient = (float)retry.BackoffCoefficient,
                MaximumInterval = retry.MaximumInterval,
                NonRetryableErrorTypes = [.. retry.NonRetryableErrorTypes.Concat(HarmonyFailureTypes.NonRetryable).Distinct(StringComparer.Ordinal)],
            },
            CancellationToken = cancellationToken,

            // A cancelled step is over only when its container is: the workflow waits for the activity to stop (or
            // finish), so a result that arrives meanwhile is seen and its compensation registered, never orphaned.
            CancellationType = ActivityCancellationType.WaitCancellationCompleted,
        };
    }

    private static T ReadMemo<T>(string key, string missingMessage)
    {
        if (!Workflow.Memo.TryGetValue(key, out var raw))
        {
            throw new ApplicationFailureException(missingMessage, HarmonyFailureTypes.ContextMissing, nonRetryable: true);
        }

        try
        {
            return Workflow.PayloadConverter.ToValue<T>(raw)
                ?? throw new ApplicationFailureException(missingMessage, HarmonyFailureTypes.ContextMissing, nonRetryable: true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            // Left alone, a malformed memo would fail the workflow task over and over instead of the workflow once.
            throw new ApplicationFailureException(
                $"Workflow memo '{key}' is not a valid {typeof(T).Name}: {e.Message}", HarmonyFailureTypes.ContextMissing, nonRetryable: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Calling capability {CapabilityId} for {InitiatorId}")]
    private static partial void LogCalling(ILogger logger, string capabilityId, string initiatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow step failed ({Reason}); running {Count} compensation(s), newest first")]
    private static partial void LogCompensating(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Compensation '{Description}' failed: {Reason}")]
    private static partial void LogCompensationFailed(ILogger logger, string description, string reason);
}
