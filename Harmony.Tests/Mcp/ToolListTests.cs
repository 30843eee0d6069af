using System.Text.Json.Nodes;
using Harmony.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Harmony.Tests.Mcp;

/// <summary><c>tools/list</c>: every catalog entry the caller may call, with schemas and annotations from the catalog.</summary>
public sealed class ToolListTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListTools_AllRoles_ShowsEveryCapabilityAndBlueprintWithCatalogAnnotations()
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var tools = (await client.ListToolsAsync(cancellationToken: Cancellation)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(
            ["golden.echo", "golden.github_request", "golden.http_probe", "golden.kubectl_apply", "golden.math_add",
             "golden.postgres_query", "workflows.math_pipeline", "workflows.verified_release"],
            tools.Keys.Order(StringComparer.Ordinal));
        var add = tools["golden.math_add"];
        Assert.Equal("Add two numbers", add.Title);
        Assert.Equal(["a", "b"], add.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(add.Annotations!.ReadOnlyHint);
        Assert.True(add.Annotations.IdempotentHint);
        Assert.False(add.Annotations.DestructiveHint);
        Assert.Equal("number", add.OutputSchema!.Value.GetProperty("properties").GetProperty("result")
            .GetProperty("anyOf")[0].GetProperty("properties").GetProperty("sum").GetProperty("type").GetString());
        var kubectl = tools["golden.kubectl_apply"];
        Assert.True(kubectl.Annotations!.DestructiveHint);
        Assert.False(kubectl.Annotations.ReadOnlyHint);
        Assert.True(kubectl.InputSchema.GetProperty("properties").TryGetProperty("secretRefs", out _));
        Assert.Contains("secretRefs", kubectl.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(tools["golden.http_probe"].Annotations!.OpenWorldHint);
        Assert.False(tools["golden.echo"].Annotations!.OpenWorldHint);
        Assert.False(tools["workflows.math_pipeline"].Annotations!.OpenWorldHint);
        Assert.True(tools["workflows.verified_release"].Annotations!.OpenWorldHint);
        Assert.True(tools["workflows.verified_release"].Annotations!.DestructiveHint);
    }

    [Fact]
    public async Task ListTools_NoRoles_ShowsOnlyToolsWithoutRequirements()
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty, ("MCP_ROLES", "")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var names = (await client.ListToolsAsync(cancellationToken: Cancellation)).Select(t => t.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["golden.echo", "golden.math_add", "workflows.math_pipeline"], names);
    }

    [Fact]
    public async Task ListTools_ValidEnvelope_ShowsWhatTheEnvelopesRolesAllow()
    {
        var settings = TestSettings.For(string.Empty, ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret));
        await using var server = await McpTestServer.StartAsync(settings, Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject { ["initiatorId"] = "agent:prober", ["roles"] = new JsonArray("harmony:probe") });

        var names = (await client.ListToolsAsync(WithEnvelope(envelope), Cancellation)).Tools.Select(t => t.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["golden.echo", "golden.http_probe", "golden.math_add", "workflows.math_pipeline"], names);
    }

    [Fact]
    public async Task ListTools_TamperedEnvelope_InvalidParamsNamingTheCheck()
    {
        var settings = TestSettings.For(string.Empty, ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret));
        await using var server = await McpTestServer.StartAsync(settings, Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject { ["initiatorId"] = "agent:prober", ["roles"] = new JsonArray("harmony:probe") });
        envelope["payload"]!["roles"] = new JsonArray("harmony:deploy");

        var error = await Assert.ThrowsAsync<McpProtocolException>(
            () => client.ListToolsAsync(WithEnvelope(envelope), Cancellation).AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("ENVELOPE_SIGNATURE_MISMATCH", error.Message, StringComparison.Ordinal);
        Assert.Contains("trace_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTools_RequiredEnvelopeMissing_InvalidParamsSayingItIsRequired()
    {
        var settings = TestSettings.For(
            string.Empty, ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret), ("MCP_REQUIRE_ENVELOPE", "true"));
        await using var server = await McpTestServer.StartAsync(settings, Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var error = await Assert.ThrowsAsync<McpProtocolException>(
            () => client.ListToolsAsync(cancellationToken: Cancellation).AsTask());

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("ENVELOPE_REQUIRED", error.Message, StringComparison.Ordinal);
    }

    private static ListToolsRequestParams WithEnvelope(JsonObject envelope) =>
        new() { Meta = new JsonObject { ["golden"] = envelope } };
}
