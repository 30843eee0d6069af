using System.Net;
using Harmony.Tests.Infrastructure;

namespace Harmony.Tests.Mcp;

/// <summary>Bad input over Streamable HTTP gets a clear answer, and the server goes on serving afterwards.</summary>
public sealed class HttpRobustnessTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed", "{ this is not json" },
        { "not-json-rpc", """{"hello":"world"}""" },
        { "wrong-types", """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":42,"arguments":"wrong"}}""" },
        { "deep", """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"golden.echo","arguments":{"x":""" + new string('[', 10000) + new string(']', 10000) + "}}}" },
        { "unknown-method", """{"jsonrpc":"2.0","id":4,"method":"no/such/method"}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadRequest_IsRefusedClearly_AndTheServerKeepsServing(string kind, string body)
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        using var http = new HttpClient();
        var session = await InitializeAsync(http, server);

        using var response = await server.PostAsync(http, body, session, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.True(
            response.StatusCode == HttpStatusCode.BadRequest || text.Contains("\"error\"", StringComparison.Ordinal),
            $"{kind}: {(int)response.StatusCode} {text}");
        await using var client = await server.ConnectAsync(Cancellation);
        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);
        Assert.Equal("NOT_CONFIGURED", result.StructuredContent!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OversizedArguments_AreValidatedNotFatal()
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var huge = Enumerable.Range(0, 200_000).Select(i => $"item-{i}").ToArray();

        var result = await client.CallToolAsync("golden.math_add",
            new Dictionary<string, object?> { ["a"] = 1, ["b"] = huge }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var error = result.StructuredContent!.Value;
        Assert.Equal("INPUT_VALIDATION_FAILED", error.GetProperty("error").GetString());
        Assert.Equal("/b", error.GetProperty("details").GetProperty("errors")[0].GetProperty("path").GetString());
    }

    private static async Task<string?> InitializeAsync(HttpClient http, McpTestServer server)
    {
        using var response = await server.PostAsync(http, Initialize, null, Cancellation);
        response.EnsureSuccessStatusCode();
        return response.Headers.TryGetValues("Mcp-Session-Id", out var values) ? values.First() : null;
    }
}
