using Temporalio.Worker.Interceptors;

namespace Harmony.Worker.Tracing;

/// <summary>
/// Carries the W3C trace context that a workflow was started with (see <c>TraceContextHeader</c>) on to its
/// activities, and makes it the parent of each activity's span, so one trace runs from the MCP call to the
/// container. This is the propagation part of Temporalio.Extensions.OpenTelemetry's tracing interceptor, written
/// here because that package is not available to this build; it reads and writes the same header.
/// </summary>
internal sealed class TraceContextWorkerInterceptor : IWorkerInterceptor
{
    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) =>
        new TraceContextWorkflowInbound(nextInterceptor);

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) =>
        new TraceContextActivityInbound(nextInterceptor);
}
