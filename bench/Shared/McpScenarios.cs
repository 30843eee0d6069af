using System.Text.Json;
using Harmony.Core.Catalog;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Harmony.Bench;

/// <summary>The three requests every benchmark sends, through the official MCP client.</summary>
internal static class McpScenarios
{
    public const string ListTools = "tools/list";

    public const string RejectedCall = "tools/call rejected";

    public const string NotConfiguredCall = "tools/call NOT_CONFIGURED";

    public static IReadOnlyList<string> All { get; } = [ListTools, RejectedCall, NotConfiguredCall];

    // The request objects are built once and sent through the client's typed overloads, so the client adds as little
    // as it can to what is measured: no reflection over argument dictionaries, no wrapping of listed tools.
    private static readonly ListToolsRequestParams ListParams = new();

    // Rejected by argument validation, after the envelope and tool checks: "a" must be a number.
    private static readonly CallToolRequestParams InvalidCall = Call("""{"a":"one","b":2}""");

    // Passes every check and reaches the runner, which answers NOT_CONFIGURED because TEMPORAL_ADDRESS is empty.
    private static readonly CallToolRequestParams ValidCall = Call("""{"a":1,"b":2}""");

    public static async Task RunAsync(McpClient client, string scenario, CancellationToken cancellationToken)
    {
        switch (scenario)
        {
            case ListTools:
                await client.ListToolsAsync(ListParams, cancellationToken).ConfigureAwait(false);
                break;
            case RejectedCall:
                await client.CallToolAsync(InvalidCall, cancellationToken).ConfigureAwait(false);
                break;
            case NotConfiguredCall:
                await client.CallToolAsync(ValidCall, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"Unknown scenario '{scenario}'.", nameof(scenario));
        }
    }

    /// <summary>Sends each request once and checks its answer, so a benchmark never times the wrong path.</summary>
    public static async Task VerifyAsync(McpClient client, CancellationToken cancellationToken)
    {
        var tools = await client.ListToolsAsync(ListParams, cancellationToken).ConfigureAwait(false);
        var expected = BuiltInCatalog.Default.Capabilities.Count + BuiltInCatalog.Default.Blueprints.Count;
        if (tools.Tools.Count != expected)
        {
            throw new InvalidOperationException($"tools/list answered {tools.Tools.Count} tools; expected all {expected}.");
        }

        Expect(await client.CallToolAsync(InvalidCall, cancellationToken).ConfigureAwait(false), "INPUT_VALIDATION_FAILED");
        Expect(await client.CallToolAsync(ValidCall, cancellationToken).ConfigureAwait(false), "NOT_CONFIGURED");
    }

    private static CallToolRequestParams Call(string arguments) => new()
    {
        Name = "golden.math_add",
        Arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments),
    };

    public static void Expect(CallToolResult result, string error)
    {
        if (result.IsError != true || result.StructuredContent is not { } content
            || !content.TryGetProperty("error", out var code) || code.ValueKind != JsonValueKind.String
            || code.GetString() != error)
        {
            throw new InvalidOperationException(
                $"Expected a {error} answer, got: {(result.StructuredContent is { } s ? s.GetRawText() : "no structured content")}");
        }
    }
}
