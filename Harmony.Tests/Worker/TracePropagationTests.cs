using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Harmony.Core.Contexts;
using Harmony.Core.Tracing;
using Harmony.Core.Workflows;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Worker;

/// <summary>
/// The trace context in Temporal's <c>_tracer-data</c> header, through the real worker against the stand-in frontend:
/// from the workflow's start event to the activity it schedules, and from an activity task to the capability's span.
/// </summary>
public sealed class TracePropagationTests
{
    private const string RunActivitySpan = "RunActivity:" + WorkflowNames.ExecuteDaggerCapabilityActivity;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ActivityTask_HeaderWithTraceParent_CapabilitySpanJoinsThatTraceUnderThatParent()
    {
        using var spans = new SpanRecorder();
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        var workflowId = $"golden.echo-{Guid.NewGuid()}";

        // The bytes Temporal's TypeScript and .NET interceptors write: the default payload converter's JSON object.
        var header = TracerData("json/plain", $$"""{"traceparent":"00-{{traceId}}-{{parentId}}-01","tracestate":"vendor=abc"}""");
        await RunActivityTaskAsync(workflowId, header);

        var run = Assert.Single(spans.Spans, s => s.OperationName == RunActivitySpan && Equals(s.GetTagItem("temporalWorkflowID"), workflowId));
        Assert.Equal(traceId, run.TraceId);
        Assert.Equal(parentId, run.ParentSpanId);
        Assert.True(run.HasRemoteParent);
        Assert.Equal("vendor=abc", run.TraceStateString);
        Assert.Equal(ActivityKind.Server, run.Kind);
        var capability = Assert.Single(spans.Spans, s => s.OperationName == "capability golden.echo" && s.ParentSpanId == run.SpanId);
        Assert.Equal(traceId, capability.TraceId);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("json/plain", "not json")]
    [InlineData("json/plain", """["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]""")]
    [InlineData("json/plain", """{"traceparent":"00-00000000000000000000000000000000-b7ad6b7169203331-01"}""")]
    [InlineData("json/plain", """{"traceparent":42}""")]
    [InlineData("binary/plain", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]
    public async Task ActivityTask_MissingOrUnreadableHeader_StillRunsUnderANewRootSpan(string? encoding, string? data)
    {
        using var spans = new SpanRecorder();
        var workflowId = $"golden.echo-{Guid.NewGuid()}";

        var failed = await RunActivityTaskAsync(workflowId, encoding is null ? null : TracerData(encoding, data!));

        // The capability itself ran: it refused for want of Dagger, not for the header.
        Assert.Equal(HarmonyFailureTypes.DaggerE2EDisabled, failed.Failure.ApplicationFailureInfo.Type);
        var run = Assert.Single(spans.Spans, s => s.OperationName == RunActivitySpan && Equals(s.GetTagItem("temporalWorkflowID"), workflowId));
        Assert.Equal(default, run.ParentSpanId);
        Assert.Contains(spans.Spans, s => s.OperationName == "capability golden.echo" && s.ParentSpanId == run.SpanId && s.TraceId == run.TraceId);
    }

    [Theory]
    [InlineData("""{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}""")]
    [InlineData("garbage is forwarded as it came; the activity decides what it is worth")]
    public async Task WorkflowTask_StartEventWithHeader_ScheduleActivityCommandCarriesTheSameHeader(string data)
    {
        var header = TracerData("json/plain", data);

        var command = await ScheduleActivityCommandAsync(header);

        var forwarded = command.Header.Fields[TraceContextHeader.Key];
        Assert.Equal(header.Fields[TraceContextHeader.Key], forwarded);
    }

    [Fact]
    public async Task WorkflowTask_StartEventWithoutHeader_SchedulesTheActivityWithoutOne()
    {
        var command = await ScheduleActivityCommandAsync(header: null);

        Assert.False(command.Header?.Fields.ContainsKey(TraceContextHeader.Key) ?? false);
    }

    private static Header TracerData(string encoding, string data) => new()
    {
        Fields =
        {
            [TraceContextHeader.Key] = new Payload
            {
                Metadata = { ["encoding"] = ByteString.CopyFromUtf8(encoding) },
                Data = ByteString.CopyFromUtf8(data),
            },
        },
    };

    private static async Task<RespondActivityTaskFailedRequest> RunActivityTaskAsync(string workflowId, Header? header)
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        temporal.EnqueueActivityTask(WorkerHost.ActivityTask("""{"x":"hi"}""", workflowId, header));
        await using var host = await WorkerHost.StartAsync(new() { ["TEMPORAL_ADDRESS"] = temporal.Address });

        // The spans end before the worker reports the outcome, so they are all recorded once the report arrives.
        return await temporal.ActivityFailed.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    private static async Task<Temporalio.Api.Command.V1.ScheduleActivityTaskCommandAttributes> ScheduleActivityCommandAsync(Header? header)
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        temporal.EnqueueWorkflowTask(WorkflowTask($"golden.echo-{Guid.NewGuid()}", header));
        await using var host = await WorkerHost.StartAsync(new() { ["TEMPORAL_ADDRESS"] = temporal.Address });

        await Task.WhenAny(temporal.WorkflowTaskCompleted.Task, temporal.WorkflowTaskFailed.Task)
            .WaitAsync(Patience, TestContext.Current.CancellationToken);
        if (temporal.WorkflowTaskFailed.Task.IsCompleted)
        {
            Assert.Fail($"The workflow task failed: {(await temporal.WorkflowTaskFailed.Task).Failure}");
        }

        var completed = await temporal.WorkflowTaskCompleted.Task;
        return Assert.Single(completed.Commands, c => c.CommandType == CommandType.ScheduleActivityTask).ScheduleActivityTaskCommandAttributes;
    }

    /// <summary>The first workflow task of a capability workflow, as the server hands it out right after the start.</summary>
    private static PollWorkflowTaskQueueResponse WorkflowTask(string workflowId, Header? header)
    {
        var now = Timestamp.FromDateTime(DateTime.UtcNow);
        var queue = new TaskQueue { Name = TemporalDefaults.TaskQueue };
        var caller = new SecurityContext("alice@example.com", ["harmony:probe"], string.Empty, ActivityHarness.Context.TraceId);
        var started = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = new WorkflowType { Name = WorkflowNames.ExecuteCapability },
            TaskQueue = queue,
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Input = new Payloads { Payloads_ = { HistoryBuilder.ToPayload(new { capId = "golden.echo", args = new { x = "hi" } }) } },
            Memo = new Memo
            {
                Fields =
                {
                    [MemoKeys.SecurityContext] = HistoryBuilder.ToPayload(caller),
                    [MemoKeys.GoldenContext] = HistoryBuilder.ToPayload(ActivityHarness.Context),
                },
            },
            Header = header,
            Attempt = 1,
            OriginalExecutionRunId = "run-1",
            FirstExecutionRunId = "run-1",
        };
        HistoryEvent[] events =
        [
            new() { EventId = 1, EventTime = now, EventType = EventType.WorkflowExecutionStarted, WorkflowExecutionStartedEventAttributes = started },
            new()
            {
                EventId = 2,
                EventTime = now,
                EventType = EventType.WorkflowTaskScheduled,
                WorkflowTaskScheduledEventAttributes = new() { TaskQueue = queue, StartToCloseTimeout = started.WorkflowTaskTimeout, Attempt = 1 },
            },
            new()
            {
                EventId = 3,
                EventTime = now,
                EventType = EventType.WorkflowTaskStarted,
                WorkflowTaskStartedEventAttributes = new() { ScheduledEventId = 2 },
            },
        ];
        return new PollWorkflowTaskQueueResponse
        {
            TaskToken = ByteString.CopyFromUtf8("workflow-task-1"),
            WorkflowExecution = new WorkflowExecution { WorkflowId = workflowId, RunId = "run-1" },
            WorkflowType = started.WorkflowType,
            PreviousStartedEventId = 0,
            StartedEventId = 3,
            Attempt = 1,
            History = new History { Events = { events } },
            WorkflowExecutionTaskQueue = queue,
            ScheduledTime = now,
            StartedTime = now,
        };
    }
}
