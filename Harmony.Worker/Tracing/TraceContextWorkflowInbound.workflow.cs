using Harmony.Core.Tracing;
using Temporalio.Api.Common.V1;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace Harmony.Worker.Tracing;

/// <summary>
/// Hands the trace context header the workflow was started with to everything the workflow schedules. Workflow code
/// is replayed, so it starts no spans and reads no clocks: it forwards the header exactly as it arrived, and nothing
/// when none did.
/// </summary>
internal sealed class TraceContextWorkflowInbound(WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
{
    public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(outbound));

    private sealed class Outbound(WorkflowOutboundInterceptor next) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input) =>
            base.ScheduleActivityAsync<TResult>(input with { Headers = Forward(input.Headers) });

        public override Task<TResult> ScheduleLocalActivityAsync<TResult>(ScheduleLocalActivityInput input) =>
            base.ScheduleLocalActivityAsync<TResult>(input with { Headers = Forward(input.Headers) });

        public override Task<ChildWorkflowHandle<TWorkflow, TResult>> StartChildWorkflowAsync<TWorkflow, TResult>(
            StartChildWorkflowInput input) =>
            base.StartChildWorkflowAsync<TWorkflow, TResult>(input with { Headers = Forward(input.Headers) });

        // A header the caller of the outbound call set itself wins; the start header is only the default.
        private static IDictionary<string, Payload>? Forward(IDictionary<string, Payload>? headers)
        {
            if (Workflow.Info.Headers is not { } started
                || !started.TryGetValue(TraceContextHeader.Key, out var trace)
                || headers?.ContainsKey(TraceContextHeader.Key) == true)
            {
                return headers;
            }

            var forwarded = headers is null
                ? new Dictionary<string, Payload>(StringComparer.Ordinal)
                : new Dictionary<string, Payload>(headers, StringComparer.Ordinal);
            forwarded[TraceContextHeader.Key] = trace;
            return forwarded;
        }
    }
}
