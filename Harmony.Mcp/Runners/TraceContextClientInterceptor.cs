using System.Diagnostics;
using Harmony.Core.Tracing;
using Temporalio.Api.Common.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Converters;

namespace Harmony.Mcp.Runners;

/// <summary>
/// Puts the current span's W3C trace context into the headers of every workflow start, so the worker's spans join
/// the trace of the <c>tools/call</c> that started the workflow. It does the propagation part of
/// Temporalio.Extensions.OpenTelemetry's tracing interceptor, in the same header format; that package is not
/// available to this build, and the client spans it would add are not needed.
/// </summary>
internal sealed class TraceContextClientInterceptor : IClientInterceptor
{
    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) =>
        new Outbound(nextInterceptor);

    private sealed class Outbound(ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(
            StartWorkflowInput input)
        {
            if (TraceContextHeader.CarrierFor(Activity.Current) is { } carrier)
            {
                // The default converter writes the JSON object that Temporal's interceptors read.
                var headers = input.Headers is null
                    ? new Dictionary<string, Payload>(StringComparer.Ordinal)
                    : new Dictionary<string, Payload>(input.Headers, StringComparer.Ordinal);
                headers[TraceContextHeader.Key] = DataConverter.Default.PayloadConverter.ToPayload(carrier);
                input = input with { Headers = headers };
            }

            return base.StartWorkflowAsync<TWorkflow, TResult>(input);
        }
    }
}
