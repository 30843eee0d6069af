using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Infrastructure;

/// <summary>The answers a Temporal frontend gives, built the way the server builds them.</summary>
public static class TemporalResponses
{
    public static StartWorkflowExecutionResponse Started(string runId = "run-1") => new() { RunId = runId, Started = true };

    public static GetWorkflowExecutionHistoryResponse Completed(string resultJson) => Close(new HistoryEvent
    {
        EventId = 5,
        EventType = EventType.WorkflowExecutionCompleted,
        WorkflowExecutionCompletedEventAttributes = new WorkflowExecutionCompletedEventAttributes
        {
            Result = new Payloads { Payloads_ = { Json(resultJson) } },
        },
    });

    public static GetWorkflowExecutionHistoryResponse Failed(string message, string type, bool nonRetryable) => Close(new HistoryEvent
    {
        EventId = 5,
        EventType = EventType.WorkflowExecutionFailed,
        WorkflowExecutionFailedEventAttributes = new WorkflowExecutionFailedEventAttributes
        {
            Failure = new Failure
            {
                Message = message,
                Source = "DotNetSDK",
                ApplicationFailureInfo = new ApplicationFailureInfo { Type = type, NonRetryable = nonRetryable },
            },
        },
    });

    /// <summary>
    /// A workflow that let an activity's failure end it, as a .NET or TypeScript workflow does when it does not catch
    /// it: the workflow's failure is the ActivityFailure wrapper, and what went wrong is its cause.
    /// </summary>
    public static GetWorkflowExecutionHistoryResponse FailedByActivity(string activityType, string message, string type, bool nonRetryable) =>
        Close(new HistoryEvent
        {
            EventId = 11,
            EventType = EventType.WorkflowExecutionFailed,
            WorkflowExecutionFailedEventAttributes = new WorkflowExecutionFailedEventAttributes
            {
                Failure = new Failure
                {
                    Message = "Activity task failed",
                    Source = "DotNetSDK",
                    ActivityFailureInfo = new ActivityFailureInfo
                    {
                        ActivityType = new ActivityType { Name = activityType },
                        ActivityId = "1",
                        ScheduledEventId = 5,
                        StartedEventId = 6,
                        RetryState = RetryState.NonRetryableFailure,
                    },
                    Cause = new Failure
                    {
                        Message = message,
                        Source = "DotNetSDK",
                        ApplicationFailureInfo = new ApplicationFailureInfo { Type = type, NonRetryable = nonRetryable },
                    },
                },
            },
        });

    /// <summary>A completed workflow whose result is the given payloads: none for a workflow that returns nothing.</summary>
    public static GetWorkflowExecutionHistoryResponse CompletedWith(params Payload[] payloads) => Close(new HistoryEvent
    {
        EventId = 5,
        EventType = EventType.WorkflowExecutionCompleted,
        WorkflowExecutionCompletedEventAttributes = new WorkflowExecutionCompletedEventAttributes
        {
            Result = payloads.Length == 0 ? null : new Payloads { Payloads_ = { payloads } },
        },
    });

    public static DescribeTaskQueueResponse Pollers(params DateTime[] lastAccessTimesUtc)
    {
        var response = new DescribeTaskQueueResponse();
        foreach (var time in lastAccessTimesUtc)
        {
            response.Pollers.Add(new PollerInfo
            {
                Identity = "1234@worker",
                LastAccessTime = Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
                RatePerSecond = 100000,
            });
        }

        return response;
    }

    public static Payload Json(string json) => new()
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(json),
    };

    private static GetWorkflowExecutionHistoryResponse Close(HistoryEvent closeEvent) =>
        new() { History = new History { Events = { closeEvent } } };
}
