using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Common;
using Temporalio.Converters;

namespace Harmony.Tests.Worker;

/// <summary>
/// Builds a workflow history the way the server records one, with event ids 1..N and the SDK flags a current worker
/// writes on its first workflow task (without them the replayer would not compare activity types and ids).
/// </summary>
internal sealed class HistoryBuilder
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly List<HistoryEvent> _events = [];
    private int _activities;

    public HistoryBuilder(string workflowType, object input, IReadOnlyDictionary<string, object>? memo = null)
    {
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new WorkflowType { Name = workflowType },
            TaskQueue = new TaskQueue { Name = "golden-tools" },
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Input = new Payloads { Payloads_ = { ToPayload(input) } },
            Attempt = 1,
        };
        if (memo is not null)
        {
            started.Memo = new Memo();
            foreach (var (key, value) in memo)
            {
                started.Memo.Fields[key] = ToPayload(value);
            }
        }

        Add(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = started);
        WorkflowTask();
    }

    public static Payload ToPayload(object value) => DataConverter.Default.PayloadConverter.ToPayload(value);

    /// <summary>A completed workflow task: the workflow ran until it waited again or finished.</summary>
    public HistoryBuilder WorkflowTask()
    {
        var scheduled = Add(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new());
        var started = Add(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new() { ScheduledEventId = scheduled });
        var first = !_events.Any(e => e.EventType == EventType.WorkflowTaskCompleted);
        Add(EventType.WorkflowTaskCompleted, e => e.WorkflowTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            StartedEventId = started,
            SdkMetadata = first ? new WorkflowTaskCompletedMetadata { CoreUsedFlags = { 1, 2, 3 }, LangUsedFlags = { 2 } } : null,
        });
        return this;
    }

    /// <summary>The workflow scheduled an activity in the last workflow task; returns its scheduled event id.</summary>
    public long ScheduleActivity(string activityType)
    {
        var id = (++_activities).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Add(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = new()
        {
            ActivityId = id,
            ActivityType = new ActivityType { Name = activityType },
        });
    }

    /// <summary>The activity ran (on the given attempt) and returned a result; a workflow task follows.</summary>
    public HistoryBuilder CompleteActivity(long scheduledEventId, object result, int attempt = 1)
    {
        var started = Start(scheduledEventId, attempt);
        Add(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            StartedEventId = started,
            Result = new Payloads { Payloads_ = { ToPayload(result) } },
        });
        return WorkflowTask();
    }

    /// <summary>The activity failed for good (retries exhausted or not retryable); a workflow task follows.</summary>
    public HistoryBuilder FailActivity(long scheduledEventId, string message, string errorType, bool nonRetryable, int attempt = 1) =>
        FailActivity(
            scheduledEventId,
            new Failure
            {
                Message = message,
                ApplicationFailureInfo = new ApplicationFailureInfo { Type = errorType, NonRetryable = nonRetryable },
            },
            attempt);

    /// <summary>The activity failed for good with the failure as the worker reported it; a workflow task follows.</summary>
    public HistoryBuilder FailActivity(long scheduledEventId, Failure failure, int attempt = 1)
    {
        var started = Start(scheduledEventId, attempt);
        Add(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            StartedEventId = started,
            Failure = failure,
            RetryState = failure.ApplicationFailureInfo?.NonRetryable == true
                ? RetryState.NonRetryableFailure
                : RetryState.MaximumAttemptsReached,
        });
        return WorkflowTask();
    }

    /// <summary>Someone asked to cancel the workflow; a workflow task follows.</summary>
    public HistoryBuilder RequestCancelWorkflow()
    {
        Add(EventType.WorkflowExecutionCancelRequested, e => e.WorkflowExecutionCancelRequestedEventAttributes = new());
        return WorkflowTask();
    }

    /// <summary>The workflow asked, in its last workflow task, to cancel an activity.</summary>
    public HistoryBuilder RequestCancelActivity(long scheduledEventId)
    {
        var lastTask = _events.Last(e => e.EventType == EventType.WorkflowTaskCompleted).EventId;
        Add(EventType.ActivityTaskCancelRequested, e => e.ActivityTaskCancelRequestedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            WorkflowTaskCompletedEventId = lastTask,
        });
        return this;
    }

    public HistoryBuilder CancelWorkflow()
    {
        var lastTask = _events.Last(e => e.EventType == EventType.WorkflowTaskCompleted).EventId;
        Add(EventType.WorkflowExecutionCanceled, e => e.WorkflowExecutionCanceledEventAttributes = new()
        {
            WorkflowTaskCompletedEventId = lastTask,
        });
        return this;
    }

    public HistoryBuilder CompleteWorkflow(object result)
    {
        Add(EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = new()
        {
            Result = new Payloads { Payloads_ = { ToPayload(result) } },
        });
        return this;
    }

    public HistoryBuilder FailWorkflow(string message)
    {
        Add(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = new Failure { Message = message, ApplicationFailureInfo = new ApplicationFailureInfo() },
        });
        return this;
    }

    public WorkflowHistory Build(string workflowId) => new(workflowId, _events);

    private long Start(long scheduledEventId, int attempt) =>
        Add(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduledEventId,
            Attempt = attempt,
        });

    private long Add(EventType type, Action<HistoryEvent> attributes)
    {
        var id = _events.Count + 1;
        var historyEvent = new HistoryEvent
        {
            EventId = id,
            EventType = type,
            EventTime = Timestamp.FromDateTime(Epoch.AddSeconds(id)),
        };
        attributes(historyEvent);
        _events.Add(historyEvent);
        return id;
    }
}
