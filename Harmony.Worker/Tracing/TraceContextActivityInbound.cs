using System.Diagnostics;
using Harmony.Core.Tracing;
using Harmony.Worker.Activities;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Worker.Interceptors;

namespace Harmony.Worker.Tracing;

/// <summary>
/// Runs each activity inside a <c>RunActivity:&lt;type&gt;</c> span whose parent is the trace context from the
/// activity's headers, so the spans of the activity's own work join the caller's trace. A missing or unreadable
/// header never fails the activity: its span then starts a new trace.
/// </summary>
internal sealed partial class TraceContextActivityInbound(ActivityInboundInterceptor next)
    : ActivityInboundInterceptor(next)
{
    private const string JsonEncoding = "json/plain";

    public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
    {
        var name = input.Activity.Name ?? "dynamic";
        var logger = ActivityExecutionContext.HasCurrent
            ? ActivityExecutionContext.Current.Logger
            : NullLogger.Instance;
        var parent = ParentFrom(input.Headers, name, logger);
        if (parent == default)
        {
            // Whatever span the poller's flow may carry is not this task's caller; the task starts its own trace.
            Activity.Current = null;
        }

        using var span = HarmonyTelemetry.Source.StartActivity($"RunActivity:{name}", ActivityKind.Server, parent);
        if (span is not null && ActivityExecutionContext.HasCurrent)
        {
            var info = ActivityExecutionContext.Current.Info;
            span.SetTag("temporalWorkflowID", info.WorkflowId);
            span.SetTag("temporalRunID", info.WorkflowRunId);
            span.SetTag("temporalActivityID", info.ActivityId);
        }

        try
        {
            return await base.ExecuteActivityAsync(input).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private static ActivityContext ParentFrom(
        IReadOnlyDictionary<string, Payload>? headers, string activity, ILogger logger)
    {
        if (headers is null || !headers.TryGetValue(TraceContextHeader.Key, out var payload))
        {
            LogNoTraceContext(logger, activity);
            return default;
        }

        var encoding = payload.Metadata.TryGetValue("encoding", out var value) ? value.ToStringUtf8() : null;
        if (encoding != JsonEncoding || !TraceContextHeader.TryParse(payload.Data.Memory, out var parent))
        {
            LogUnreadableTraceContext(logger, activity, encoding ?? "none");
            return default;
        }

        return parent;
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Activity {ActivityType} came without a trace context; its span starts a new trace")]
    private static partial void LogNoTraceContext(ILogger logger, string activityType);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Activity {ActivityType} has an unreadable trace context (encoding {Encoding}); its span starts a new trace")]
    private static partial void LogUnreadableTraceContext(ILogger logger, string activityType, string encoding);
}
