using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Mcp.Configuration;
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
/// Harmony's own <c>tools/list</c> and <c>tools/call</c> handlers with the request contexts the SDK would build for
/// the three benchmark requests: the server's work on a request without JSON-RPC framing, transport or client.
/// </summary>
internal sealed class HandlerHarness : IDisposable
{
    private readonly IHost _host;
    private readonly ToolListHandler _list;
    private readonly ToolCallHandler _call;
    private readonly RequestContext<ListToolsRequestParams> _listContext;
    private readonly RequestContext<CallToolRequestParams> _rejectedContext;
    private readonly RequestContext<CallToolRequestParams> _notConfiguredContext;

    public HandlerHarness()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(BenchServerSettings.Create());
        builder.Logging.ClearProviders();
        builder.AddHarmonyMcp(McpServerSettingsReader.Read(builder.Configuration)).WithStreamServerTransport(Stream.Null, Stream.Null);
        _host = builder.Build();

        // The server object only owns the contexts; it is never started, so no message flows through it.
        var server = _host.Services.GetRequiredService<McpServer>();
        _list = _host.Services.GetRequiredService<ToolListHandler>();
        _call = _host.Services.GetRequiredService<ToolCallHandler>();
        _listContext = new RequestContext<ListToolsRequestParams>(
            server, Request("tools/list", new JsonObject()), new ListToolsRequestParams());
        _rejectedContext = CallContext(server, """{"a":"one","b":2}""");
        _notConfiguredContext = CallContext(server, """{"a":1,"b":2}""");
    }

    public ListToolsResult ListTools() => _list.Handle(_listContext);

    public ValueTask<CallToolResult> RejectedCallAsync() => _call.HandleAsync(_rejectedContext, CancellationToken.None);

    public ValueTask<CallToolResult> NotConfiguredCallAsync() => _call.HandleAsync(_notConfiguredContext, CancellationToken.None);

    public async ValueTask RunAsync(string scenario)
    {
        switch (scenario)
        {
            case McpScenarios.ListTools:
                ListTools();
                break;
            case McpScenarios.RejectedCall:
                await RejectedCallAsync().ConfigureAwait(false);
                break;
            case McpScenarios.NotConfiguredCall:
                await NotConfiguredCallAsync().ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"Unknown scenario '{scenario}'.", nameof(scenario));
        }
    }

    /// <summary>Calls each handler once and checks its answer, so a benchmark never times the wrong path.</summary>
    public async Task VerifyAsync()
    {
        var expected = Harmony.Core.Catalog.BuiltInCatalog.Default.Capabilities.Count
            + Harmony.Core.Catalog.BuiltInCatalog.Default.Blueprints.Count;
        if (ListTools().Tools.Count != expected)
        {
            throw new InvalidOperationException($"The list handler did not answer all {expected} tools.");
        }

        McpScenarios.Expect(await RejectedCallAsync().ConfigureAwait(false), "INPUT_VALIDATION_FAILED");
        McpScenarios.Expect(await NotConfiguredCallAsync().ConfigureAwait(false), "NOT_CONFIGURED");
    }

    public void Dispose() => _host.Dispose();

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
}
