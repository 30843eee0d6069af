using System.Text.Json;
using Harmony.Core.Contexts;
using Harmony.Core.Workflows;
using Harmony.Mcp.Configuration;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Harmony.Mcp.Runners;

/// <summary>
/// Starts the workflows behind MCP tools and, in <c>await</c> mode, waits for their result; when the wait times out
/// it asks Temporal whether any worker is polling, so "slow" and "nobody is listening" get different answers.
/// </summary>
public sealed partial class TemporalWorkflowRunner(
    TemporalClientProvider clients,
    McpServerSettings settings,
    TimeProvider timeProvider,
    ILogger<TemporalWorkflowRunner> logger)
{
    // Temporal retries a failing start for up to about ten seconds; the caller should hear sooner than that.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    public Task<RunOutcome> RunCapabilityAsync(
        string capabilityId,
        ExecuteCapabilityWorkflowInput input,
        SecurityContext security,
        GoldenContext context,
        CancellationToken cancellationToken) =>
        RunAsync(capabilityId, WorkflowNames.ExecuteCapability, input, security, context,
            settings.CapabilityBehavior == CapabilityBehavior.Await, cancellationToken);

    public Task<RunOutcome> StartBlueprintAsync(
        string blueprintId,
        string workflowType,
        JsonElement arguments,
        SecurityContext security,
        GoldenContext context,
        CancellationToken cancellationToken) =>
        RunAsync(blueprintId, workflowType, arguments, security, context, awaitResult: false, cancellationToken);

    private async Task<RunOutcome> RunAsync(
        string toolId,
        string workflowType,
        object argument,
        SecurityContext security,
        GoldenContext context,
        bool awaitResult,
        CancellationToken cancellationToken)
    {
        if (clients.Client is not { } client)
        {
            return new RunOutcome.NotConfigured();
        }

        var options = new WorkflowOptions(WorkflowNames.NewWorkflowId(toolId), settings.TaskQueue)
        {
            Memo = new Dictionary<string, object>
            {
                [MemoKeys.SecurityContext] = security,
                [MemoKeys.GoldenContext] = context,
            },
        };

        WorkflowHandle handle;
        using (var startCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            startCancellation.CancelAfter(StartTimeout);
            try
            {
                options.Rpc = new RpcOptions { CancellationToken = startCancellation.Token };
                handle = await client.StartWorkflowAsync(workflowType, [argument], options).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
            {
                LogTemporalUnavailable(logger, exception, settings.TemporalAddress);
                return new RunOutcome.TemporalUnavailable(Describe(exception), null);
            }
        }

        var info = WorkflowHandleInfo.Create(
            settings.TemporalUiUrl, settings.TemporalNamespace, handle.Id, handle.ResultRunId ?? handle.RunId ?? string.Empty);
        LogWorkflowStarted(logger, workflowType, info.WorkflowId, info.RunId, security.InitiatorId, context.TraceId);

        if (!awaitResult)
        {
            return new RunOutcome.Started(info);
        }

        using var awaitCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        awaitCancellation.CancelAfter(settings.AwaitTimeout);
        try
        {
            var result = await handle.GetResultAsync<JsonElement>(rpcOptions: new RpcOptions { CancellationToken = awaitCancellation.Token })
                .ConfigureAwait(false);
            return new RunOutcome.Completed(result, info);
        }
        catch (WorkflowFailedException failed)
        {
            return Failure(info, failed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await JudgeTimeoutAsync(client, info, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogTemporalUnavailable(logger, exception, settings.TemporalAddress);
            return new RunOutcome.TemporalUnavailable(Describe(exception), info);
        }
    }

    private async Task<RunOutcome> JudgeTimeoutAsync(ITemporalClient client, WorkflowHandleInfo info, CancellationToken cancellationToken)
    {
        try
        {
            var workflowPollers = await LatestPollAsync(client, TaskQueueType.Workflow, cancellationToken).ConfigureAwait(false);
            var activityPollers = await LatestPollAsync(client, TaskQueueType.Activity, cancellationToken).ConfigureAwait(false);
            var latest = new[] { workflowPollers, activityPollers }.Max();
            var now = timeProvider.GetUtcNow();

            // Temporal lists a stopped worker's pollers for minutes, so only a recent poll proves a worker is there.
            if (latest is { } lastPoll && now - lastPoll <= settings.WorkerPollFreshness)
            {
                return new RunOutcome.StillRunning(info);
            }

            LogNoWorker(logger, settings.TaskQueue, info.WorkflowId, latest);
            return new RunOutcome.WorkerNotRunning(info, settings.TaskQueue, latest);
        }
        catch (Exception exception) when (IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
        {
            return new RunOutcome.TemporalUnavailable(Describe(exception), info);
        }
    }

    private async Task<DateTimeOffset?> LatestPollAsync(ITemporalClient client, TaskQueueType type, CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancellation.CancelAfter(StartTimeout);
        var response = await client.WorkflowService.DescribeTaskQueueAsync(
            new DescribeTaskQueueRequest
            {
                Namespace = settings.TemporalNamespace,
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = settings.TaskQueue, Kind = TaskQueueKind.Normal },
                TaskQueueType = type,
            },
            new RpcOptions { CancellationToken = cancellation.Token }).ConfigureAwait(false);
        return response.Pollers
            .Where(p => p.LastAccessTime is not null)
            .Select(p => (DateTimeOffset?)new DateTimeOffset(p.LastAccessTime.ToDateTime(), TimeSpan.Zero))
            .Max();
    }

    private static RunOutcome.Failed Failure(WorkflowHandleInfo info, WorkflowFailedException failed) =>
        RootCause(failed) switch
        {
            ApplicationFailureException application =>
                new RunOutcome.Failed(info, application.Message, application.ErrorType, application.NonRetryable),
            FailureException other => new RunOutcome.Failed(info, other.Message, other.GetType().Name, NonRetryable: true),
            _ => new RunOutcome.Failed(info, failed.Message, null, NonRetryable: true),
        };

    // A workflow that lets an activity's failure end it fails with "Activity task failed"; what went wrong (and its
    // type, such as DAGGER_E2E_DISABLED) is that failure's cause, so look through the wrappers to it.
    private static Exception? RootCause(WorkflowFailedException failed)
    {
        var cause = failed.InnerException;
        while (cause is ActivityFailureException or ChildWorkflowFailureException
            && cause.InnerException is FailureException inner)
        {
            cause = inner;
        }

        return cause;
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        RpcException => true,
        OperationCanceledException => true,

        // A lazy client that can't connect throws this, with the transport's reason in the message.
        InvalidOperationException invalid => invalid.Message.Contains("Connection failed", StringComparison.Ordinal)
            || invalid.Message.Contains("connect", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "Temporal did not answer in time.",
        RpcException rpc => $"Temporal answered {rpc.Code}: {rpc.Message}",
        _ => exception.Message,
    };

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Started workflow {WorkflowType} {WorkflowId} run {RunId} for {InitiatorId} (trace {TraceId})")]
    private static partial void LogWorkflowStarted(
        ILogger logger, string workflowType, string workflowId, string runId, string initiatorId, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Temporal at {TemporalAddress} is unavailable")]
    private static partial void LogTemporalUnavailable(ILogger logger, Exception exception, string? temporalAddress);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No worker has polled task queue {TaskQueue} recently (last poll {LastPoll}); workflow {WorkflowId} waits for one")]
    private static partial void LogNoWorker(ILogger logger, string taskQueue, string workflowId, DateTimeOffset? lastPoll);
}
