using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>The checks a <c>tools/call</c> passes before anything is started, and the envelope's effect on identity.</summary>
public sealed class ToolCallPipelineTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InvalidArguments_AnswerInputValidationFailedWithEveryErrorPath()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.math_add",
            new Dictionary<string, object?> { ["a"] = "two", ["extra"] = true }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("INPUT_VALIDATION_FAILED", answer.GetProperty("error").GetString());
        Assert.Equal("golden.math_add", answer.GetProperty("tool").GetString());
        var errors = answer.GetProperty("details").GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString(), e.GetProperty("keyword").GetString())).ToList();
        Assert.Contains(("/a", "type"), errors);
        Assert.Contains(("", "required"), errors);
        Assert.Contains(errors, e => e.Item2 == "additionalProperties");
        Assert.Empty(temporal.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task MissingRole_AnswersForbiddenNamingTheRole()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_ROLES", "harmony:github")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.http_probe",
            new Dictionary<string, object?> { ["url"] = "http://api.shop.svc.cluster.local/health" }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("FORBIDDEN", answer.GetProperty("error").GetString());
        Assert.Equal("harmony:probe", answer.GetProperty("details").GetProperty("missingRoles")[0].GetString());
        Assert.Empty(temporal.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task RestrictedTool_AnswersApprovalRequiredAndStartsNothing()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync(
            "golden.kubectl_apply",
            new Dictionary<string, object?>
            {
                ["manifest"] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n",
                ["namespace"] = "x",
                ["secretRefs"] = new Dictionary<string, string> { ["kubeconfig"] = "/k8s/prod" },
            },
            cancellationToken: Cancellation);

        Assert.True(result.IsError);
        Assert.Equal("APPROVAL_REQUIRED", result.StructuredContent!.Value.GetProperty("error").GetString());
        Assert.Empty(temporal.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task UnknownTool_IsJsonRpcInvalidParamsError()
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var error = await Assert.ThrowsAsync<McpProtocolException>(async () =>
            await client.CallToolAsync("golden.nope", new Dictionary<string, object?>(), cancellationToken: Cancellation));

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("golden.nope", error.Message, StringComparison.Ordinal);
        Assert.Matches("trace_id [0-9a-f]{32}", error.Message);
    }

    [Theory]
    [InlineData("invalid-forbidden-restricted", "INPUT_VALIDATION_FAILED")]
    [InlineData("valid-forbidden-restricted", "FORBIDDEN")]
    [InlineData("valid-allowed-restricted", "APPROVAL_REQUIRED")]
    public async Task Checks_RunInOrder_ValidationThenRolesThenApproval(string call, string expectedError)
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        var roles = call.Contains("-allowed-", StringComparison.Ordinal) ? "harmony:deploy" : "harmony:probe";
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address, ("MCP_ROLES", roles)), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var arguments = new Dictionary<string, object?>
        {
            ["manifest"] = "kind: Namespace",
            ["namespace"] = call.StartsWith("invalid", StringComparison.Ordinal) ? "Not A Namespace!" : "shop",
            ["secretRefs"] = new Dictionary<string, string> { ["kubeconfig"] = "/k8s/prod" },
        };

        var result = await client.CallToolAsync("golden.kubectl_apply", arguments, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        Assert.Equal(expectedError, result.StructuredContent!.Value.GetProperty("error").GetString());
        Assert.Empty(temporal.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task TraceId_IsTheW3CTraceOfTheIncomingHttpRequest()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        // The agent's own span: its HTTP client sends it to the server as the traceparent header.
        using var agentSpan = new Activity("agent step")
            .SetParentId(ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"), ActivitySpanId.CreateFromString("00f067aa0ba902b7"))
            .Start();
        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", result.StructuredContent!.Value.GetProperty("trace_id").GetString());
        var memo = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>()).Memo.Fields["golden.context"].Data.ToStringUtf8();
        Assert.Contains("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"", memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidEnvelope_OverridesIdentityAndTraceIdInTheMemo()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("MCP_ENVELOPE_HMAC_SECRET", $"  {TestSettings.Secret}\n"),
                ("MCP_ROLES", "")),
            Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject
        {
            ["initiatorId"] = "agent:deployer",
            ["roles"] = new JsonArray("harmony:probe"),
            ["appId"] = "checkout",
            ["environment"] = "prod",
            ["dataClassification"] = "CONFIDENTIAL",
            ["traceId"] = "0af7651916cd43dd8448eb211c80319c",
            ["nonce"] = "n-1",
        });

        var result = await CallWithMetaAsync(client, "golden.http_probe",
            new JsonObject { ["url"] = "http://api.shop.svc.cluster.local/health" }, "_meta", envelope);

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", result.StructuredContent!.Value.GetProperty("trace_id").GetString());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Equal(
            """{"initiatorId":"agent:deployer","roles":["harmony:probe"],"tokenRef":"","traceId":"0af7651916cd43dd8448eb211c80319c"}""",
            start.Memo.Fields["golden.securityContext"].Data.ToStringUtf8());
        Assert.Equal(
            """{"app_id":"checkout","environment":"prod","initiator_id":"agent:deployer","trace_id":"0af7651916cd43dd8448eb211c80319c","data_classification":"CONFIDENTIAL"}""",
            start.Memo.Fields["golden.context"].Data.ToStringUtf8());
    }

    [Fact]
    public async Task EnvelopeInMetaField_IsAcceptedAsTheTypeScriptClientsSendIt()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret),
                ("MCP_REQUIRE_ENVELOPE", "true")),
            Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject { ["initiatorId"] = "ts-client", ["roles"] = new JsonArray() });

        var result = await CallWithMetaAsync(client, "golden.echo", new JsonObject { ["x"] = 1 }, "meta", envelope);

        Assert.NotEqual(true, result.IsError);
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Contains("\"initiatorId\":\"ts-client\"", start.Memo.Fields["golden.securityContext"].Data.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tampered", "ENVELOPE_SIGNATURE_MISMATCH")]
    [InlineData("wrong-secret", "ENVELOPE_SIGNATURE_MISMATCH")]
    [InlineData("missing", "ENVELOPE_REQUIRED")]
    [InlineData("null", "ENVELOPE_REQUIRED")]
    [InlineData("not-an-object", "ENVELOPE_INVALID")]
    [InlineData("bad-alg", "ENVELOPE_UNSUPPORTED_ALG")]
    public async Task RefusedEnvelope_AnswersUnauthorizedWithTheReasonAndStartsNothing(string variant, string expectedCode)
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret), ("MCP_REQUIRE_ENVELOPE", "true")),
            Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var payload = new JsonObject { ["initiatorId"] = "agent:x", ["roles"] = new JsonArray("harmony:probe") };
        JsonNode? envelope = variant switch
        {
            "tampered" => Tampered(Envelopes.Signed(payload)),
            "wrong-secret" => Envelopes.Signed(payload, "another-secret"),
            "missing" or "null" => null,
            "not-an-object" => JsonValue.Create("signed!"),
            _ => WithAlg(Envelopes.Signed(payload), "HS256"),
        };

        var result = variant == "missing"
            ? await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation)
            : await CallWithMetaAsync(client, "golden.echo", new JsonObject { ["x"] = 1 }, "_meta", envelope);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("UNAUTHORIZED", answer.GetProperty("error").GetString());
        Assert.Equal(expectedCode, answer.GetProperty("details").GetProperty("code").GetString());
        Assert.Matches("^[0-9a-f]{32}$", answer.GetProperty("trace_id").GetString()!);
        Assert.Empty(temporal.RequestsOf<StartWorkflowExecutionRequest>());
    }

    [Fact]
    public async Task RefusedEnvelope_IsReportedBeforeAnUnknownTool()
    {
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(string.Empty, ("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret)), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject { ["initiatorId"] = "x", ["roles"] = new JsonArray() }, "wrong");

        var result = await CallWithMetaAsync(client, "golden.nope", new JsonObject(), "_meta", envelope);

        Assert.Equal("UNAUTHORIZED", result.StructuredContent!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public async Task EnvelopeWithoutSecret_IsIgnoredAndCallRunsAsDefaultIdentity()
    {
        await using var temporal = await StartedOnlyTemporalAsync();
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("MCP_INITIATOR_ID", "svc:default")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var envelope = Envelopes.Signed(new JsonObject { ["initiatorId"] = "agent:spoofed", ["roles"] = new JsonArray("admin") });

        var result = await CallWithMetaAsync(client, "golden.echo", new JsonObject { ["x"] = 1 }, "_meta", envelope);

        Assert.NotEqual(true, result.IsError);
        var memo = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>()).Memo.Fields["golden.securityContext"].Data.ToStringUtf8();
        Assert.Contains("\"initiatorId\":\"svc:default\"", memo, StringComparison.Ordinal);
        Assert.DoesNotContain("spoofed", memo, StringComparison.Ordinal);
    }

    private static JsonObject Tampered(JsonObject envelope)
    {
        envelope["payload"]!["roles"] = new JsonArray("harmony:probe", "harmony:deploy");
        return envelope;
    }

    private static JsonObject WithAlg(JsonObject envelope, string alg)
    {
        envelope["alg"] = alg;
        return envelope;
    }

    private static async Task<FakeTemporalFrontend> StartedOnlyTemporalAsync()
    {
        var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.Completed("{}"));
        return temporal;
    }

    /// <summary>Sends tools/call with the envelope under <paramref name="metaName"/> (<c>_meta</c> or <c>meta</c>).</summary>
    private static async Task<CallToolResult> CallWithMetaAsync(
        McpClient client, string tool, JsonObject arguments, string metaName, JsonNode? envelope)
    {
        var parameters = new JsonObject
        {
            ["name"] = tool,
            ["arguments"] = arguments,
            [metaName] = new JsonObject { ["golden"] = envelope },
        };
        var response = await client.SendRequestAsync(
            new JsonRpcRequest { Method = RequestMethods.ToolsCall, Params = parameters }, Cancellation);
        return JsonSerializer.Deserialize<CallToolResult>(response.Result, McpJsonUtilities.DefaultOptions)!;
    }
}
