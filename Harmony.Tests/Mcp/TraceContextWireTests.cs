using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Tracing;
using Harmony.Tests.Infrastructure;
using ModelContextProtocol.Protocol;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>
/// The trace context the MCP server hands Temporal with each workflow start, seen at the wire: the header Temporal's
/// OpenTelemetry interceptors read, naming the trace whose id the agent gets back as <c>trace_id</c>.
/// </summary>
public sealed class TraceContextWireTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("golden.echo")]
    [InlineData("workflows.math_pipeline")]
    public async Task ToolCall_StartRequest_CarriesTracerDataOfTheAnswersTrace(string tool)
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-1"));
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var arguments = tool == "golden.echo"
            ? new Dictionary<string, object?> { ["x"] = "hi" }
            : new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2, ["c"] = 3 };

        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        var traceId = result.StructuredContent!.Value.GetProperty("trace_id").GetString();
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        var header = start.Header.Fields[TraceContextHeader.Key];
        Assert.Equal("json/plain", header.Metadata["encoding"].ToStringUtf8());
        using var carrier = JsonDocument.Parse(header.Data.ToStringUtf8());
        var traceParent = carrier.RootElement.GetProperty("traceparent").GetString()!;
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-0[01]$", traceParent);
        Assert.All(carrier.RootElement.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "traceparent", "tracestate" }));
    }

    [Fact]
    public async Task ToolCall_EnvelopeWithItsOwnTraceId_StartRequestCarriesThatTrace()
    {
        const string envelopeTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-1"));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(
            temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret)), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject
        {
            ["initiatorId"] = "agent:gateway",
            ["roles"] = new JsonArray(),
            ["traceId"] = envelopeTrace,
        });

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "golden.echo",
            Arguments = new Dictionary<string, JsonElement> { ["x"] = JsonSerializer.SerializeToElement("hi") },
            Meta = new JsonObject { ["golden"] = envelope },
        }, Cancellation);

        Assert.NotEqual(true, result.IsError);
        Assert.Equal(envelopeTrace, result.StructuredContent!.Value.GetProperty("trace_id").GetString());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        using var carrier = JsonDocument.Parse(start.Header.Fields[TraceContextHeader.Key].Data.ToStringUtf8());
        Assert.Matches($"^00-{envelopeTrace}-[0-9a-f]{{16}}-01$", carrier.RootElement.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task ToolCall_EnvelopeTraceIdNotW3C_AnswersWithIt_AndTheStartStaysInTheRequestsTrace()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-1"));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(
            temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret)), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject
        {
            ["initiatorId"] = "agent:gateway",
            ["roles"] = new JsonArray(),
            ["traceId"] = "gateway-42",
        });

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "golden.echo",
            Arguments = new Dictionary<string, JsonElement> { ["x"] = JsonSerializer.SerializeToElement("hi") },
            Meta = new JsonObject { ["golden"] = envelope },
        }, Cancellation);

        // No W3C trace to join: the answer still names the envelope's id, and the work stays in the request's trace.
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("gateway-42", result.StructuredContent!.Value.GetProperty("trace_id").GetString());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        using var carrier = JsonDocument.Parse(start.Header.Fields[TraceContextHeader.Key].Data.ToStringUtf8());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", carrier.RootElement.GetProperty("traceparent").GetString());
    }
}
