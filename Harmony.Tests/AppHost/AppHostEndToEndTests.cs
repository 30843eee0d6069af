using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Temporalio.Client;

namespace Harmony.Tests.AppHost;

/// <summary>
/// The whole graph, started by Aspire: Keycloak issues the agent's token, the MCP server takes it, Temporal and the
/// worker run the calls. Needs a container runtime; where none answers, each test skips with a one-line reason.
/// </summary>
public sealed class AppHostEndToEndTests(RunningHarmony harmony) : IClassFixture<RunningHarmony>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AppHost_Started_EveryResourceHealthyAndSchemaJobDone()
    {
        Skip();

        var schema = await harmony.App.ResourceNotifications.WaitForResourceAsync(
            "temporal-schema", e => e.Snapshot.ExitCode is not null, TestContext.Current.CancellationToken);

        Assert.Equal(0, schema.Snapshot.ExitCode);
        foreach (var name in RunningHarmony.HealthyResources)
        {
            Assert.True(harmony.App.ResourceNotifications.TryGetCurrentState(name, out var state), name);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Keycloak_ClientCredentials_IssuesTokenForMcpWithRealmRoles()
    {
        Skip();

        var token = await AgentTokenAsync();

        using var payload = Payload(token);
        var audience = payload.RootElement.GetProperty("aud");
        var audiences = audience.ValueKind == JsonValueKind.Array
            ? audience.EnumerateArray().Select(a => a.GetString())
            : [audience.GetString()];
        Assert.Contains("harmony-mcp", audiences);
        var roles = payload.RootElement.GetProperty("realm_access").GetProperty("roles").EnumerateArray().Select(r => r.GetString());
        Assert.Contains("harmony:probe", roles);
        var authority = await harmony.App.GetConnectionStringAsync("keycloak", TestContext.Current.CancellationToken);
        Assert.Equal(authority, payload.RootElement.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task Mcp_ToolsListWithAgentToken_ListsTheCatalogTools()
    {
        Skip();
        await using var client = await ConnectAsync(await AgentTokenAsync());

        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        var names = tools.Select(t => t.Name).ToList();
        Assert.Contains("golden.math_add", names);
        Assert.Contains("golden.echo", names);
        Assert.Contains("workflows.math_pipeline", names);
    }

    [Fact]
    public async Task Mcp_WithoutToken_Refused()
    {
        Skip();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, McpEndpoint())
        {
            Content = JsonContent.Create(new
            {
                jsonrpc = "2.0",
                id = 1,
                method = "initialize",
                @params = new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "e2e", version = "1" } },
            }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Mcp_MathAdd_ReturnsSumOrDaggerDisabledRunnerErrorWithoutRetry()
    {
        Skip();
        await using var client = await ConnectAsync(await AgentTokenAsync());

        var result = await CallAsync(client, "golden.math_add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 });

        using var content = Structured(result);
        Assert.True(content.RootElement.TryGetProperty("trace_id", out _));
        if (result.IsError == true)
        {
            Assert.Equal("RUNNER_ERROR", content.RootElement.GetProperty("error").GetString());
            Assert.Contains("DAGGER_E2E_DISABLED", content.RootElement.GetRawText(), StringComparison.Ordinal);

            // Fast because it is not retried: one attempt, failed as non-retryable, is the whole history of the step.
            var execution = await StartedWorkflowAsync(content.RootElement, "golden.math_add-");
            var history = await (await TemporalAsync()).GetWorkflowHandle(execution.Id, execution.RunId).FetchHistoryAsync();
            var attempt = Assert.Single(history.Events, e => e.ActivityTaskStartedEventAttributes is not null);
            Assert.Equal(1, attempt.ActivityTaskStartedEventAttributes.Attempt);
            var failed = Assert.Single(history.Events, e => e.ActivityTaskFailedEventAttributes is not null);
            Assert.True(failed.ActivityTaskFailedEventAttributes.Failure.ApplicationFailureInfo.NonRetryable);
        }
        else
        {
            Assert.Equal(5, content.RootElement.GetProperty("result").GetProperty("sum").GetDouble());
        }
    }

    [Fact]
    public async Task Mcp_MathAdd_WorkflowMemoHoldsIdentityAndTraceId()
    {
        Skip();
        await using var client = await ConnectAsync(await AgentTokenAsync());

        var result = await CallAsync(client, "golden.math_add", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 1 });

        using var content = Structured(result);
        var traceId = content.RootElement.GetProperty("trace_id").GetString()!;
        var execution = await StartedWorkflowAsync(content.RootElement, "golden.math_add-");
        var security = await execution.Memo["golden.securityContext"].ToValueAsync<JsonElement>();
        var golden = await execution.Memo["golden.context"].ToValueAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(security.GetProperty("initiatorId").GetString()));
        Assert.NotEqual("mcp:anonymous", security.GetProperty("initiatorId").GetString());
        Assert.Contains("harmony:probe", security.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(traceId, security.GetProperty("traceId").GetString());
        Assert.Equal(traceId, golden.GetProperty("trace_id").GetString());
        Assert.Equal("harmony-mcp", golden.GetProperty("app_id").GetString());
    }

    [Fact]
    public async Task Mcp_MathPipeline_StartsAWorkflowTemporalKnowsAtItsStatusUrl()
    {
        Skip();
        await using var client = await ConnectAsync(await AgentTokenAsync());

        var result = await CallAsync(
            client, "workflows.math_pipeline", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2, ["c"] = 3 });

        Assert.NotEqual(true, result.IsError);
        using var content = Structured(result);
        var statusUrl = FindString(content.RootElement, "statusUrl")
            ?? throw new Xunit.Sdk.XunitException("No statusUrl in " + content.RootElement);
        var uiUrl = await harmony.App.GetConnectionStringAsync("temporal-ui", TestContext.Current.CancellationToken);
        Assert.StartsWith($"{uiUrl!.TrimEnd('/')}/namespaces/default/workflows/", statusUrl, StringComparison.Ordinal);
        var parts = new Uri(statusUrl).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var workflowId = Uri.UnescapeDataString(parts[^2]);
        var runId = Uri.UnescapeDataString(parts[^1]);
        var temporal = await TemporalAsync();
        var description = await temporal.GetWorkflowHandle(workflowId, runId).DescribeAsync();
        Assert.Equal("mathPipelineWorkflow", description.WorkflowType);
        Assert.StartsWith("workflows.math_pipeline-", workflowId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_CapabilityWithOpenBaoSecret_SecretNeverInWorkflowHistory()
    {
        Skip();
        await using var client = await ConnectAsync(await AgentTokenAsync());
        var secret = await OpenBaoSecretAsync("postgres/demo");

        // The capability requires the reference: without it the call stops at validation and no workflow starts.
        var result = await CallAsync(client, "golden.postgres_query", new Dictionary<string, object?>
        {
            ["sql"] = "select 1 as one",
            ["secretRefs"] = new Dictionary<string, object?> { ["connectionString"] = "/postgres/demo" },
        });

        using var content = Structured(result);
        Assert.DoesNotContain(secret, content.RootElement.GetRawText(), StringComparison.Ordinal);
        var execution = await StartedWorkflowAsync(content.RootElement, "golden.postgres_query-");
        var temporal = await TemporalAsync();
        var history = await temporal.GetWorkflowHandle(execution.Id, execution.RunId).FetchHistoryAsync();
        var historyText = WorkflowHistoryText.Readable(history);
        Assert.Contains("/postgres/demo", historyText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, historyText, StringComparison.Ordinal);
        Assert.DoesNotContain(await harmony.ParameterAsync("postgres-password"), historyText, StringComparison.Ordinal);
    }

    private void Skip() => Assert.SkipWhen(harmony.SkipReason is not null, harmony.SkipReason ?? "");

    private Uri McpEndpoint() => new(harmony.App.GetEndpoint("mcp", "http"), "/mcp");

    private async Task<string> AgentTokenAsync()
    {
        var authority = await harmony.App.GetConnectionStringAsync("keycloak", TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            $"{authority}/protocol/openid-connect/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "harmony-agent",
                ["client_secret"] = await harmony.ParameterAsync("keycloak-agent-secret"),
            }),
            TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private async Task<McpClient> ConnectAsync(string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpEndpoint(),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(CallTimeout);
        return await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token);
    }

    private async Task<TemporalClient> TemporalAsync()
    {
        var address = await harmony.App.GetConnectionStringAsync("temporal", TestContext.Current.CancellationToken);
        return await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address!) { Namespace = "default" });
    }

    /// <summary>
    /// The workflow a call started, as Temporal describes it: the answer's <c>meta</c> names it, success or failure,
    /// and describing reads the workflow itself, not the eventually consistent visibility store.
    /// </summary>
    private async Task<WorkflowExecutionDescription> StartedWorkflowAsync(JsonElement answer, string idPrefix)
    {
        Assert.True(answer.TryGetProperty("meta", out var meta), $"No meta (so no workflow) in {answer}");
        var workflowId = meta.GetProperty("workflowId").GetString()!;
        Assert.StartsWith(idPrefix, workflowId, StringComparison.Ordinal);
        var temporal = await TemporalAsync();
        return await temporal.GetWorkflowHandle(workflowId, meta.GetProperty("runId").GetString()).DescribeAsync();
    }

    private async Task<string> OpenBaoSecretAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(harmony.App.GetEndpoint("openbao", "http"), "/") };
        http.DefaultRequestHeaders.Add("X-Vault-Token", await harmony.ParameterAsync("openbao-token"));
        using var body = JsonDocument.Parse(await http.GetStringAsync($"v1/secret/data/{path}", TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("data").GetProperty("data").GetProperty("value").GetString()!;
    }

    private static JsonDocument Structured(CallToolResult result) =>
        JsonDocument.Parse(JsonSerializer.Serialize(result.StructuredContent));

    private static JsonDocument Payload(string jwt)
    {
        var payload = jwt.Split('.')[1];
        return JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)));
    }

    private static string? FindString(JsonElement element, string property) => element.ValueKind switch
    {
        JsonValueKind.Object => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : element.EnumerateObject().Select(p => FindString(p.Value, property)).FirstOrDefault(v => v is not null),
        JsonValueKind.Array => element.EnumerateArray().Select(e => FindString(e, property)).FirstOrDefault(v => v is not null),
        _ => null,
    };
}
