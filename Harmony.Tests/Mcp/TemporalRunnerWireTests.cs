using System.Globalization;
using System.Text.Json;
using Harmony.Tests.Infrastructure;
using ModelContextProtocol.Protocol;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary>
/// What Temporal receives when an agent calls a tool, and what the agent hears back, with the real MCP client on
/// one side and the real Temporal client talking to a recording frontend on the other.
/// </summary>
public sealed class TemporalRunnerWireTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CapabilityCall_Await_SendsStartRequestWithInputAndMemoAndReturnsResult()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-42"));
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.Completed("""{"sum":5}"""));
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_INITIATOR_ID", "user:alice"), ("MCP_APP_ID", "shop"), ("MCP_ENVIRONMENT", "staging"),
                ("MCP_COST_CENTER", "cc-7"), ("MCP_DATA_CLASSIFICATION", "INTERNAL"), ("MCP_TOKEN_REF", "/tokens/alice")),
            Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.math_add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 },
            cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal(5, answer.GetProperty("result").GetProperty("sum").GetInt32());
        var traceId = answer.GetProperty("trace_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        var meta = answer.GetProperty("meta");
        Assert.Equal("run-42", meta.GetProperty("runId").GetString());
        var workflowId = meta.GetProperty("workflowId").GetString()!;
        Assert.Matches(@"^golden\.math_add-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", workflowId);
        Assert.Equal($"http://temporal-ui.test:8233/namespaces/default/workflows/{workflowId}/run-42", meta.GetProperty("statusUrl").GetString());
        Assert.Equal(answer.GetRawText(), JsonDocument.Parse(((TextContentBlock)result.Content[0]).Text).RootElement.GetRawText());

        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Equal("executeCapabilityWorkflow", start.WorkflowType.Name);
        Assert.Equal("golden-tools", start.TaskQueue.Name);
        Assert.Equal("default", start.Namespace);
        Assert.Equal(workflowId, start.WorkflowId);
        Assert.Equal("json/plain", start.Input.Payloads_[0].Metadata["encoding"].ToStringUtf8());
        Assert.Equal("""{"capId":"golden.math_add","args":{"a":2,"b":3}}""", start.Input.Payloads_[0].Data.ToStringUtf8());
        Assert.Equal(
            $$"""{"initiatorId":"user:alice","roles":["harmony:probe","harmony:github","harmony:data-read","harmony:release","harmony:deploy"],"tokenRef":"/tokens/alice","traceId":"{{traceId}}"}""",
            start.Memo.Fields["golden.securityContext"].Data.ToStringUtf8());
        Assert.Equal(
            $$"""{"app_id":"shop","environment":"staging","initiator_id":"user:alice","trace_id":"{{traceId}}","cost_center":"cc-7","data_classification":"INTERNAL"}""",
            start.Memo.Fields["golden.context"].Data.ToStringUtf8());
        Assert.Equal("json/plain", start.Memo.Fields["golden.context"].Metadata["encoding"].ToStringUtf8());

        var poll = Assert.Single(temporal.RequestsOf<GetWorkflowExecutionHistoryRequest>());
        Assert.Equal(workflowId, poll.Execution.WorkflowId);
        Assert.Equal("run-42", poll.Execution.RunId);
    }

    [Fact]
    public async Task CapabilityCall_StartBehavior_AnswersWithHandleWithoutWaiting()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-7"));
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"), ("TEMPORAL_NAMESPACE", "ops team"),
                ("TEMPORAL_TASK_QUEUE", "ops-queue")),
            Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = "hi" }, cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        var handle = result.StructuredContent!.Value.GetProperty("result");
        var workflowId = handle.GetProperty("workflowId").GetString()!;
        Assert.Equal("run-7", handle.GetProperty("runId").GetString());
        Assert.Equal($"http://temporal-ui.test:8233/namespaces/ops%20team/workflows/{workflowId}/run-7", handle.GetProperty("statusUrl").GetString());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Equal("ops-queue", start.TaskQueue.Name);
        Assert.Equal("ops team", start.Namespace);
        Assert.Empty(temporal.RequestsOf<GetWorkflowExecutionHistoryRequest>());
    }

    [Fact]
    public async Task CapabilityCall_ConfigAndSecretRefs_TravelBesideArgs()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync(
            "golden.github_request",
            new Dictionary<string, object?>
            {
                ["method"] = "GET",
                ["path"] = "/repos/acme/shop",
                ["secretRefs"] = new Dictionary<string, string> { ["githubToken"] = "/github/bot#token" },
            },
            cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Equal(
            """{"capId":"golden.github_request","args":{"method":"GET","path":"/repos/acme/shop"},"secretRefs":{"githubToken":"/github/bot#token"}}""",
            start.Input.Payloads_[0].Data.ToStringUtf8());
    }

    [Fact]
    public async Task BlueprintCall_AlwaysStartsItsOwnWorkflowTypeWithArgumentsAsGiven()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-9"));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("workflows.math_pipeline",
            new Dictionary<string, object?> { ["a"] = 1, ["b"] = 2.5, ["c"] = -3 }, cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("run-9", result.StructuredContent!.Value.GetProperty("result").GetProperty("runId").GetString());
        var start = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>());
        Assert.Equal("mathPipelineWorkflow", start.WorkflowType.Name);
        Assert.StartsWith("workflows.math_pipeline-", start.WorkflowId, StringComparison.Ordinal);
        Assert.Equal("""{"a":1,"b":2.5,"c":-3}""", start.Input.Payloads_[0].Data.ToStringUtf8());
        Assert.True(start.Memo.Fields.ContainsKey("golden.securityContext"));
        Assert.Empty(temporal.RequestsOf<GetWorkflowExecutionHistoryRequest>());
    }

    [Fact]
    public async Task AwaitTimeout_WithRecentPoller_AnswersRunningWithHandle()
    {
        await using var temporal = await StartNeverEndingWorkflowAsync(DateTime.UtcNow.AddSeconds(-20));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        var running = result.StructuredContent!.Value.GetProperty("result");
        Assert.Equal("RUNNING", running.GetProperty("status").GetString());
        Assert.Equal("run-1", running.GetProperty("runId").GetString());
        Assert.Contains(temporal.RequestsOf<DescribeTaskQueueRequest>(), r => r.TaskQueueType == TaskQueueType.Workflow);
    }

    [Fact]
    public async Task AwaitTimeout_WithOnlyStalePollers_AnswersWorkerNotRunning()
    {
        // A worker stopped three minutes ago is still listed by Temporal; only its last poll time gives it away.
        var stopped = DateTime.UtcNow.AddMinutes(-3);
        await using var temporal = await StartNeverEndingWorkflowAsync(stopped);
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("WORKER_NOT_RUNNING", answer.GetProperty("error").GetString());
        Assert.Equal("golden.echo", answer.GetProperty("tool").GetString());
        Assert.Equal("run-1", answer.GetProperty("meta").GetProperty("runId").GetString());
        Assert.Contains("golden-tools", answer.GetProperty("hint").GetString(), StringComparison.Ordinal);
        var lastPoll = DateTimeOffset.Parse(answer.GetProperty("details").GetProperty("lastPoll").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(new DateTimeOffset(stopped, TimeSpan.Zero), lastPoll);
        var describes = temporal.RequestsOf<DescribeTaskQueueRequest>().ToList();
        Assert.Contains(describes, r => r.TaskQueueType == TaskQueueType.Workflow && r.TaskQueue.Name == "golden-tools");
        Assert.Contains(describes, r => r.TaskQueueType == TaskQueueType.Activity && r.TaskQueue.Name == "golden-tools");
    }

    [Fact]
    public async Task AwaitTimeout_WithNoPollers_AnswersWorkerNotRunning()
    {
        await using var temporal = await StartNeverEndingWorkflowAsync();
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.Equal("WORKER_NOT_RUNNING", result.StructuredContent!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public async Task FailedWorkflow_AnswersRunnerErrorWithMessageAndType()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory",
            _ => TemporalResponses.Failed("Dagger E2E is disabled on this worker", "DAGGER_E2E_DISABLED", nonRetryable: true));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.math_add", new Dictionary<string, object?> { ["a"] = 1, ["b"] = 1 },
            cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("RUNNER_ERROR", answer.GetProperty("error").GetString());
        Assert.Equal("Dagger E2E is disabled on this worker", answer.GetProperty("details").GetProperty("message").GetString());
        Assert.Equal("DAGGER_E2E_DISABLED", answer.GetProperty("details").GetProperty("type").GetString());
        Assert.True(answer.GetProperty("details").GetProperty("nonRetryable").GetBoolean());
        Assert.Equal("run-1", answer.GetProperty("meta").GetProperty("runId").GetString());
    }

    [Fact]
    public async Task WorkflowFailedByActivity_AnswersRunnerErrorWithTheActivitysCause()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.FailedByActivity(
            "executeDaggerCapability", "Dagger E2E is disabled on this worker", "DAGGER_E2E_DISABLED", nonRetryable: true));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var details = result.StructuredContent!.Value.GetProperty("details");
        Assert.Equal("Dagger E2E is disabled on this worker", details.GetProperty("message").GetString());
        Assert.Equal("DAGGER_E2E_DISABLED", details.GetProperty("type").GetString());
        Assert.True(details.GetProperty("nonRetryable").GetBoolean());
    }

    [Fact]
    public async Task WorkflowReturningNothing_AnswersSuccessWithNullResult()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.CompletedWith());
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.NotEqual(true, result.IsError);
        Assert.Equal(JsonValueKind.Null, result.StructuredContent!.Value.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task UnreadableResult_AnswersRunnerErrorWithTraceId_AndServerKeepsServing()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        var unreadable = new Temporalio.Api.Common.V1.Payload
        {
            Metadata = { ["encoding"] = Google.Protobuf.ByteString.CopyFromUtf8("binary/encrypted") },
            Data = Google.Protobuf.ByteString.CopyFromUtf8("\u0001\u0002"),
        };
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.CompletedWith(unreadable));
        await using var server = await McpTestServer.StartAsync(TestSettings.For(temporal.Address), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("RUNNER_ERROR", answer.GetProperty("error").GetString());
        Assert.Matches("^[0-9a-f]{32}$", answer.GetProperty("trace_id").GetString()!);
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("details").GetProperty("type").GetString()));
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.Completed("""{"y":1}"""));
        var next = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);
        Assert.Equal(1, next.StructuredContent!.Value.GetProperty("result").GetProperty("y").GetInt32());
    }

    [Fact]
    public async Task TemporalDown_AnswersUnavailableWithHint_ThenRecoversWhenTemporalComesBack()
    {
        int port;
        await using (var probe = await FakeTemporalFrontend.StartAsync())
        {
            port = probe.Port;
        }

        await using var server = await McpTestServer.StartAsync(TestSettings.For($"127.0.0.1:{port}"), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var down = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(down.IsError);
        Assert.Equal("TEMPORAL_UNAVAILABLE", down.StructuredContent!.Value.GetProperty("error").GetString());
        Assert.Contains("TEMPORAL_ADDRESS", down.StructuredContent!.Value.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", down.StructuredContent!.Value.GetProperty("trace_id").GetString()!);

        await using var temporal = await FakeTemporalFrontend.StartAsync(port);
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started("run-back"));
        temporal.On<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", _ => TemporalResponses.Completed("""{"y":1}"""));

        var up = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.NotEqual(true, up.IsError);
        Assert.Equal(1, up.StructuredContent!.Value.GetProperty("result").GetProperty("y").GetInt32());
    }

    [Fact]
    public async Task MissingNamespace_AnswersUnavailableWithTemporalsReasonAndTheKnobs()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution",
            request => throw new GrpcStatusException(5, $"Namespace {request.Namespace} is not found."));
        await using var server = await McpTestServer.StartAsync(
            TestSettings.For(temporal.Address, ("TEMPORAL_NAMESPACE", "ops")), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        var answer = result.StructuredContent!.Value;
        Assert.Equal("TEMPORAL_UNAVAILABLE", answer.GetProperty("error").GetString());
        Assert.Contains("Namespace ops is not found", answer.GetProperty("details").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("TEMPORAL_NAMESPACE", answer.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.False(answer.TryGetProperty("meta", out _));
    }

    [Fact]
    public async Task EmptyTemporalAddress_AnswersNotConfigured()
    {
        await using var server = await McpTestServer.StartAsync(TestSettings.For(string.Empty), Cancellation);
        await using var client = await server.ConnectAsync(Cancellation);

        var result = await client.CallToolAsync("golden.echo", new Dictionary<string, object?> { ["x"] = 1 }, cancellationToken: Cancellation);

        Assert.True(result.IsError);
        Assert.Equal("NOT_CONFIGURED", result.StructuredContent!.Value.GetProperty("error").GetString());
    }

    private static async Task<FakeTemporalFrontend> StartNeverEndingWorkflowAsync(params DateTime[] pollers)
    {
        var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        temporal.OnAsync<GetWorkflowExecutionHistoryRequest>("GetWorkflowExecutionHistory", async (_, aborted) =>
        {
            await Task.Delay(Timeout.Infinite, aborted);
            throw new InvalidOperationException("unreachable");
        });
        temporal.On<DescribeTaskQueueRequest>("DescribeTaskQueue", _ => TemporalResponses.Pollers(pollers));
        return temporal;
    }
}
