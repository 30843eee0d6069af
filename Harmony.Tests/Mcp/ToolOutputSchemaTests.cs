using Harmony.Core.Catalog;
using Harmony.Tests.Infrastructure;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>
/// A tool that declares an output schema must answer with structured content that conforms to it, and clients
/// that validate (the TypeScript SDK's does) check error answers too: every kind of answer is checked here against
/// the schema <c>tools/list</c> published for its tool.
/// </summary>
public sealed class ToolOutputSchemaTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?> Answers => new()
    {
        { "completed", null },
        { "started", null },
        { "blueprint", null },
        { "running", null },
        { "worker-not-running", "WORKER_NOT_RUNNING" },
        { "runner-error", "RUNNER_ERROR" },
        { "invalid-arguments", "INPUT_VALIDATION_FAILED" },
        { "forbidden", "FORBIDDEN" },
        { "approval", "APPROVAL_REQUIRED" },
        { "not-configured", "NOT_CONFIGURED" },
        { "temporal-down", "TEMPORAL_UNAVAILABLE" },
        { "unauthorized", "UNAUTHORIZED" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task CallTool_EveryKindOfAnswer_ConformsToTheToolsOutputSchema(string kind, string? expectedError)
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => kind == "runner-error"
            ? TemporalResponses.Failed("boom", "CONTAINER_FAILED", nonRetryable: false)
            : TemporalResponses.Completed("""{"sum":5}"""));
        if (kind is "running" or "worker-not-running")
        {
            temporal.OnAsync<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", async (_, aborted) =>
            {
                await Task.Delay(Timeout.Infinite, aborted);
                throw new InvalidOperationException("unreachable");
            });
            temporal.On<DescribeTaskQueueRequest>("DescribeTaskQueue", _ => kind == "running"
                ? TemporalResponses.Pollers(DateTime.UtcNow.AddSeconds(-5))
                : TemporalResponses.Pollers());
        }

        var address = kind switch
        {
            "not-configured" => string.Empty,
            "temporal-down" => await ClosedPortAsync(),
            _ => temporal.Address,
        };
        (string, string)[] overrides = kind switch
        {
            "started" => [("MCP_CAPABILITY_BEHAVIOR", "start")],
            "forbidden" => [("MCP_ROLES", "")],
            "unauthorized" => [("MCP_ENVELOPE_HMAC_SECRET", TestSettings.Secret), ("MCP_REQUIRE_ENVELOPE", "true")],
            _ => [],
        };
        var (tool, arguments) = kind switch
        {
            "blueprint" => ("workflows.math_pipeline", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }),
            "invalid-arguments" => ("golden.math_add", new Dictionary<string, object?> { ["a"] = "two" }),
            "forbidden" => ("golden.http_probe", new Dictionary<string, object?> { ["url"] = "http://a.b.svc.cluster.local/" }),
            "approval" => ("golden.kubectl_apply", new Dictionary<string, object?>
            {
                ["manifest"] = "kind: Namespace",
                ["namespace"] = "x",
                ["secretRefs"] = new Dictionary<string, string> { ["kubeconfig"] = "/k8s/prod" },
            }),
            _ => ("golden.math_add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 }),
        };
        await using var server = await McpTestServer.StartAsync(TestSettings.For(address, overrides), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        // An unauthorized caller cannot list (its envelope is refused), so take the schema from an open listing.
        var schemas = kind == "unauthorized"
            ? []
            : (await client.ListToolsAsync(cancellationToken: Cancellation)).ToDictionary(t => t.Name, t => t.ProtocolTool.OutputSchema);

        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Cancellation);

        var answer = result.StructuredContent!.Value;
        Assert.Equal(expectedError, answer.TryGetProperty("error", out var error) ? error.GetString() : null);
        Assert.Equal(expectedError is not null, result.IsError == true);

        var schemaJson = schemas.TryGetValue(tool, out var listed) ? listed!.Value : await OutputSchemaOfAsync(tool);
        var errors = SchemaDocument.Parse($"test/{kind}/{tool}", schemaJson.GetRawText()).Validate(answer);
        Assert.True(errors.Count == 0, $"{answer.GetRawText()} breaks the output schema: "
            + string.Join("; ", errors.Select(e => $"{e.Path} {e.Keyword} {e.Message}")));
    }

    private static async Task<System.Text.Json.JsonElement> OutputSchemaOfAsync(string tool)
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);
        var tools = await client.ListToolsAsync(cancellationToken: Cancellation);
        return tools.Single(t => t.Name == tool).ProtocolTool.OutputSchema!.Value;
    }

    private static async Task<string> ClosedPortAsync()
    {
        await using var probe = await FakeTemporalFrontend.StartAsync();
        return probe.Address;
    }
}
