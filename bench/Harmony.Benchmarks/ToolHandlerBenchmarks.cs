using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Harmony.Mcp.Hosting;
using Harmony.Mcp.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Harmony.Bench;

/// <summary>
/// Harmony's own <c>tools/list</c> and <c>tools/call</c> handlers, called directly with the request context the SDK
/// would build: the server's work on a request without JSON-RPC framing, transport or client.
/// </summary>
[MemoryDiagnoser]
public class ToolHandlerBenchmarks
{
    private IHost _host = null!;
    private ToolListHandler _list = null!;
    private ToolCallHandler _call = null!;
    private RequestContext<ListToolsRequestParams> _listContext = null!;
    private RequestContext<CallToolRequestParams> _rejectedContext = null!;
    private RequestContext<CallToolRequestParams> _notConfiguredContext = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(BenchServerSettings.Create());
        builder.Logging.ClearProviders();
        builder.AddHarmonyMcp().WithStreamServerTransport(Stream.Null, Stream.Null);
        _host = builder.Build();

        // The server object only gives the contexts their owner; it is never started, so no message flows.
        var server = _host.Services.GetRequiredService<McpServer>();
        _list = _host.Services.GetRequiredService<ToolListHandler>();
        _call = _host.Services.GetRequiredService<ToolCallHandler>();
        _listContext = new RequestContext<ListToolsRequestParams>(server, Request("tools/list", new JsonObject()), new ListToolsRequestParams());
        _rejectedContext = CallContext(server, """{"a":"one","b":2}""");
        _notConfiguredContext = CallContext(server, """{"a":1,"b":2}""");

        Expect(_call.HandleAsync(_rejectedContext, CancellationToken.None).AsTask().GetAwaiter().GetResult(), "INPUT_VALIDATION_FAILED");
        Expect(_call.HandleAsync(_notConfiguredContext, CancellationToken.None).AsTask().GetAwaiter().GetResult(), "NOT_CONFIGURED");
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public ListToolsResult ListTools() => _list.Handle(_listContext);

    [Benchmark]
    public ValueTask<CallToolResult> RejectedCall() => _call.HandleAsync(_rejectedContext, CancellationToken.None);

    [Benchmark]
    public ValueTask<CallToolResult> NotConfiguredCall() => _call.HandleAsync(_notConfiguredContext, CancellationToken.None);

    private static RequestContext<CallToolRequestParams> CallContext(McpServer server, string arguments)
    {
        var parameters = new JsonObject { ["name"] = "golden.math_add", ["arguments"] = JsonNode.Parse(arguments) };
        var typed = new CallToolRequestParams
        {
            Name = "golden.math_add",
            Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments),
        };
        return new RequestContext<CallToolRequestParams>(server, Request("tools/call", parameters), typed);
    }

    private static JsonRpcRequest Request(string method, JsonNode parameters) =>
        new() { Id = new RequestId(1), Method = method, Params = parameters };

    private static void Expect(CallToolResult result, string error)
    {
        if (result.StructuredContent?.GetProperty("error").GetString() != error)
        {
            throw new InvalidOperationException($"Benchmark setup is wrong: expected {error}.");
        }
    }
}
