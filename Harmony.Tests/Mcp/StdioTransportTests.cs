using Harmony.Tests.Infrastructure;
using ModelContextProtocol.Client;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>The stdio transport: the same tools as HTTP, nothing but protocol on stdout, and no input that stops it.</summary>
public sealed class StdioTransportTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OfficialClient_ListsToolsAndCallsThroughTemporal()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-s"));
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.Completed("""{"sum":3}"""));
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = StdioServerProcess.ServerExecutable,
            Arguments = ["--stdio", $"--TEMPORAL_ADDRESS={temporal.Address}"],

            // Knobs as an agent's MCP configuration sets them: environment variables.
            EnvironmentVariables = new Dictionary<string, string?> { ["MCP_INITIATOR_ID"] = "stdio:user", ["TEMPORAL_TASK_QUEUE"] = "stdio-queue" },
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Cancellation);

        var tools = await client.ListToolsAsync(cancellationToken: Cancellation);
        var result = await client.CallToolAsync("golden.math_add", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2 },
            cancellationToken: Cancellation);

        Assert.Contains(tools, t => t.Name == "golden.echo");
        Assert.Contains(tools, t => t.Name == "workflows.math_pipeline");
        Assert.Equal(3, result.StructuredContent!.Value.GetProperty("result").GetProperty("sum").GetInt32());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Contains("stdio:user", start.Memo.Fields["golden.securityContext"].Data.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal("stdio-queue", start.TaskQueue.Name);
    }

    [Fact]
    public async Task BadInput_GetsJsonRpcErrors_AndServerKeepsServingWithCleanStdout()
    {
        await using var server = StdioServerProcess.Start("--TEMPORAL_ADDRESS=");
        await server.SendLineAsync(Initialize);
        await server.ReadResponseAsync(1, Cancellation);
        await server.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        await server.SendLineAsync("{ this is not json");
        await server.SendLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":42,"arguments":"wrong"}}""");
        await server.SendLineAsync("""{"jsonrpc":"2.0","id":3,"method":"no/such/method"}""");
        await server.SendLineAsync(
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"golden.echo","arguments":{"x":"""
            + new string('[', 5000) + new string(']', 5000) + "}}}");
        await server.SendLineAsync(
            """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"golden.echo","arguments":{"x":"""
            + "\"" + new string('a', 4_000_000) + "\"}}}");
        await server.SendLineAsync("""{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"golden.math_add","arguments":{"a":1}}}""");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        var responses = await server.ReadResponsesAsync([2, 3, 5, 6], deadline.Token);

        Assert.NotNull(responses[2]["error"]);
        Assert.Equal(-32601, responses[3]["error"]!["code"]!.GetValue<int>());

        // JSON nested deeper than the reader allows can't be parsed far enough to find its id: the SDK drops it
        // (and logs why on stderr) rather than answering; what matters is that the server goes on serving.
        Assert.True(!responses.TryGetValue(4, out var deep) || deep["error"] is not null);
        Assert.Equal("NOT_CONFIGURED", responses[5]["result"]!["structuredContent"]!["error"]!.GetValue<string>());
        Assert.Equal("INPUT_VALIDATION_FAILED", responses[6]["result"]!["structuredContent"]!["error"]!.GetValue<string>());
        Assert.Contains(server.StandardErrorLines, line => line.Contains("MCP_ENVELOPE_HMAC_SECRET is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemporalGoneAfterConnecting_WarningsGoToStderr_AndTheServerRecoversWhenItIsBack()
    {
        var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        await using var server = StdioServerProcess.Start($"--TEMPORAL_ADDRESS={temporal.Address}", "--MCP_CAPABILITY_BEHAVIOR=start");
        await server.SendLineAsync(Initialize);
        await server.ReadResponseAsync(1, Cancellation);
        await server.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        const string call = """{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"golden.echo","arguments":{"x":1}}}""";
        await server.SendLineAsync(call.Replace("ID", "2", StringComparison.Ordinal));
        Assert.Null((await server.ReadResponseAsync(2, Cancellation))["result"]!["structuredContent"]!["error"]);

        // Connected, then gone: Temporal's native client retries the start and warns about it, by default on stdout.
        await temporal.DisposeAsync();
        await server.SendLineAsync(call.Replace("ID", "3", StringComparison.Ordinal));
        var down = await server.ReadResponseAsync(3, Cancellation);

        Assert.Equal("TEMPORAL_UNAVAILABLE", down["result"]!["structuredContent"]!["error"]!.GetValue<string>());
        Assert.Contains(server.StandardErrorLines, line => line.Contains("Temporalio.Core", StringComparison.Ordinal));

        // Temporal back where it was: the same client picks it up, no restart of the server.
        await using var back = await FakeTemporalFrontend.StartAsync(temporal.Port, reuseHandlersOf: temporal);
        await server.SendLineAsync(call.Replace("ID", "4", StringComparison.Ordinal));
        Assert.Null((await server.ReadResponseAsync(4, Cancellation))["result"]!["structuredContent"]!["error"]);
        Assert.Single(back.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task TraceparentInMeta_BecomesTheAnswersTraceId()
    {
        await using var server = StdioServerProcess.Start("--TEMPORAL_ADDRESS=");
        await server.SendLineAsync(Initialize);
        await server.ReadResponseAsync(1, Cancellation);
        await server.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        await server.SendLineAsync("""
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"golden.echo","arguments":{"x":1},
            "_meta":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}}
            """.ReplaceLineEndings(string.Empty));
        var answer = await server.ReadResponseAsync(2, Cancellation);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", answer["result"]!["structuredContent"]!["trace_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequireEnvelopeWithoutSecret_RefusesToStartWithClearMessage()
    {
        await using var server = StdioServerProcess.Start("--MCP_REQUIRE_ENVELOPE=true");
        await server.SendLineAsync(Initialize);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.ReadResponseAsync(1, Cancellation));

        Assert.Contains("MCP_REQUIRE_ENVELOPE is true but MCP_ENVELOPE_HMAC_SECRET is not set", error.Message, StringComparison.Ordinal);
    }
}
