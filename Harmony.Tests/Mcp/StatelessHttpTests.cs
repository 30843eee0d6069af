using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Configuration;
using Harmony.Tests.Infrastructure;
using ModelContextProtocol.Protocol;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>
/// MCP_HTTP_STATELESS: two server instances with no session affinity between them, the client's handshake answered by
/// one and its calls by the other, as behind a plain load balancer in front of several replicas.
/// </summary>
public sealed class StatelessHttpTests
{
    private const string LegacyVersion = "2025-06-18";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CrossInstance_Stateless_ListAndCallSucceedOnTheInstanceThatSawNoHandshake()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var a = await StartAsync(temporal.Address, "true");
        await using var b = await StartAsync(temporal.Address, "true");
        using var router = new ReplicaRouter(a.BaseAddress, b.BaseAddress);
        using var http = new HttpClient(router);
        await using var client = await a.ConnectThroughAsync(http, Cancellation);

        var tools = await client.ListToolsAsync(cancellationToken: Cancellation);
        var result = await client.CallToolAsync(
            "golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.Contains("golden.echo", tools.Select(t => t.Name));
        Assert.NotEqual(true, result.IsError);
        var workflowId = result.StructuredContent!.Value.GetProperty("meta").GetProperty("workflowId").GetString();
        Assert.StartsWith("golden.echo-", workflowId, StringComparison.Ordinal);
        Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.All(
            router.Requests.Where(r => r.Instance == a.BaseAddress), r => Assert.Equal("server/discover", r.JsonRpcMethod));
        Assert.Equal(
            ["tools/list", "tools/call"],
            router.Requests.Where(r => r.Instance == b.BaseAddress).Select(r => r.JsonRpcMethod));
    }

    [Fact]
    public async Task CrossInstance_Stateful_TheOtherInstanceKnowsNoSession()
    {
        await using var a = await StartAsync(string.Empty, "false");
        await using var b = await StartAsync(string.Empty, "false");
        using var router = new ReplicaRouter(a.BaseAddress, b.BaseAddress);
        using var http = new HttpClient(router);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var client = await a.ConnectThroughAsync(http, Cancellation);
            await client.ListToolsAsync(cancellationToken: Cancellation);
        });

        // The stateful server refuses the 2026-07-28 handshake, so the client falls back to initialize, gets a session
        // from A, and B answers its next request carrying that session with 404.
        var initialize = Assert.Single(router.Requests, r => r.JsonRpcMethod == "initialize");
        Assert.Equal((a.BaseAddress, HttpStatusCode.OK), (initialize.Instance, initialize.Status));
        Assert.Contains(
            router.Requests, r => r.Instance == b.BaseAddress && r is { SessionId: not null, Status: HttpStatusCode.NotFound });
        Assert.DoesNotContain(
            router.Requests, r => r.JsonRpcMethod is "tools/list" or "tools/call" && r.Status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task InitializeHandshake_Stateless_TheOtherInstanceAnswersCallsWithoutASession()
    {
        await using var a = await StartAsync(string.Empty, "true");
        await using var b = await StartAsync(string.Empty, "true");
        using var http = new HttpClient();

        var (initialized, session, _) = await PostAsync(http, a, Initialize, null);
        var (listed, _, tools) = await PostAsync(http, b, Request(2, "tools/list", new JsonObject()), session);
        var echo = new JsonObject { ["name"] = "golden.echo", ["arguments"] = new JsonObject { ["x"] = 1 } };
        var (called, _, call) = await PostAsync(http, b, Request(3, "tools/call", echo), session);

        // Clients on the older revisions still shake hands with initialize; stateless, the answer names no session.
        Assert.Equal(HttpStatusCode.OK, initialized);
        Assert.Null(session);
        Assert.Equal(HttpStatusCode.OK, listed);
        var names = tools!.Value.GetProperty("result").GetProperty("tools").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString());
        Assert.Contains("golden.echo", names);
        Assert.Equal(HttpStatusCode.OK, called);
        var answer = call!.Value.GetProperty("result").GetProperty("structuredContent");
        Assert.Equal("NOT_CONFIGURED", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task InitializeHandshake_Stateful_TheOtherInstanceAnswersSessionNotFound()
    {
        await using var a = await StartAsync(string.Empty, "false");
        await using var b = await StartAsync(string.Empty, "false");
        using var http = new HttpClient();

        var (initialized, session, _) = await PostAsync(http, a, Initialize, null);
        var (listed, _, error) = await PostAsync(http, b, Request(2, "tools/list", new JsonObject()), session);

        Assert.Equal(HttpStatusCode.OK, initialized);
        Assert.NotNull(session);
        Assert.Equal(HttpStatusCode.NotFound, listed);
        var message = error!.Value.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("Session not found", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CrossInstance_Stateless_BearerTokenIsCheckedOnEachRequestByTheInstanceThatAnswers()
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var temporal = await StartedOnlyTemporalAsync();
        (string, string)[] protectedSettings =
        [
            ("Harmony:Auth:Authority", authority.Authority), ("Harmony:Auth:Audience", "harmony-mcp"),
            ("Harmony:Auth:AllowHttpMetadata", "true"), ("MCP_ROLES", ""),
        ];
        await using var a = await StartAsync(temporal.Address, "true", protectedSettings);
        await using var b = await StartAsync(temporal.Address, "true", protectedSettings);
        using var router = new ReplicaRouter(a.BaseAddress, b.BaseAddress);
        using var http = new HttpClient(router);
        var token = authority.IssueToken("service-account-harmony-agent", ["harmony:probe"]);
        await using var client = await a.ConnectThroughAsync(
            http, Cancellation, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        var tools = (await client.ListToolsAsync(cancellationToken: Cancellation)).Select(t => t.Name).ToList();
        var result = await client.CallToolAsync("golden.http_probe",
            new Dictionary<string, object?> { ["url"] = "http://api.shop.svc.cluster.local/health" }, cancellationToken: Cancellation);

        // B saw no handshake; the roles that let it list and run http_probe came from the token on each request.
        Assert.Contains("golden.http_probe", tools);
        Assert.NotEqual(true, result.IsError);
        Assert.True(Answered(router, b, "tools/call"));
        var memo = SecurityContextOf(Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>()));
        Assert.Contains("\"initiatorId\":\"service-account-harmony-agent\"", memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossInstance_Stateless_SignedEnvelopeIsVerifiedByTheInstanceThatAnswers()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        (string, string)[] envelopeSettings =
        [
            ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret), ("MCP_REQUIRE_ENVELOPE", "true"), ("MCP_ROLES", ""),
        ];
        await using var a = await StartAsync(temporal.Address, "true", envelopeSettings);
        await using var b = await StartAsync(temporal.Address, "true", envelopeSettings);
        using var router = new ReplicaRouter(a.BaseAddress, b.BaseAddress);
        using var http = new HttpClient(router);
        await using var client = await a.ConnectThroughAsync(http, Cancellation);
        var envelope = Envelopes.Signed(
            new JsonObject { ["initiatorId"] = "agent:deployer", ["roles"] = new JsonArray("harmony:probe") });

        var result = await client.CallToolAsync(new CallToolRequestParams
        {
            Name = "golden.http_probe",
            Arguments = new Dictionary<string, JsonElement>
            {
                ["url"] = JsonSerializer.SerializeToElement("http://api.shop.svc.cluster.local/health"),
            },
            Meta = new JsonObject { ["golden"] = envelope },
        }, Cancellation);

        Assert.NotEqual(true, result.IsError);
        Assert.True(Answered(router, b, "tools/call"));
        var memo = SecurityContextOf(Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>()));
        Assert.Contains("\"initiatorId\":\"agent:deployer\"", memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StatelessNotABoolean_RefusesWithAMessageNamingTheKnob()
    {
        var error = await Assert.ThrowsAsync<InvalidConfigurationException>(() => StartAsync(string.Empty, "yes-ish"));

        Assert.Contains("MCP_HTTP_STATELESS 'yes-ish' is not true or false", error.Message, StringComparison.Ordinal);
    }

    private static string Initialize => Request(1, "initialize", new JsonObject
    {
        ["protocolVersion"] = LegacyVersion,
        ["capabilities"] = new JsonObject(),
        ["clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
    });

    private static string Request(int id, string method, JsonObject parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();

    private static Task<McpTestServer> StartAsync(
        string temporalAddress, string stateless, params (string Key, string Value)[] extra) =>
        McpTestServer.StartAsync(
            TestSettings.For(
                temporalAddress, [("MCP_HTTP_STATELESS", stateless), ("MCP_CAPABILITY_BEHAVIOR", "start"), .. extra]),
            Cancellation);

    private static bool Answered(ReplicaRouter router, McpTestServer instance, string method) =>
        router.Requests.Any(r => r.Instance == instance.BaseAddress && r.JsonRpcMethod == method && r.Status == HttpStatusCode.OK);

    private static string SecurityContextOf(StartWorkflowExecutionRequest start) =>
        start.Memo.Fields["golden.securityContext"].Data.ToStringUtf8();

    private static async Task<FakeTemporalFrontend> StartedOnlyTemporalAsync()
    {
        var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        return temporal;
    }

    /// <summary>A raw JSON-RPC POST, as a client on the initialize handshake sends it: the status, session and answer.</summary>
    private static async Task<(HttpStatusCode Status, string? Session, JsonElement? Message)> PostAsync(
        HttpClient http, McpTestServer server, string body, string? session)
    {
        using var response = await server.PostAsync(http, body, session, Cancellation, LegacyVersion);
        var text = await response.Content.ReadAsStringAsync(Cancellation);

        // An answer comes as JSON or as the data of a server-sent event.
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? text.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line[5..].Trim())
                .LastOrDefault()
            : text;
        return (
            response.StatusCode,
            response.Headers.TryGetValues("Mcp-Session-Id", out var values) ? values.First() : null,
            string.IsNullOrWhiteSpace(json) ? null : JsonDocument.Parse(json).RootElement.Clone());
    }
}
