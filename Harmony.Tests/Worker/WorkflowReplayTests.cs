using System.Text;
using System.Text.Json;
using Harmony.Core.Contexts;
using Harmony.Core.Workflows;
using Harmony.Worker.Workflows;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Harmony.Tests.Worker;

public sealed class WorkflowReplayTests
{
    private const string Activity = WorkflowNames.ExecuteDaggerCapabilityActivity;

    private static readonly SecurityContext Caller =
        new("alice@example.com", ["harmony:release"], "/tokens/alice", "0af7651916cd43dd8448eb211c80319c");

    [Fact]
    public async Task ExecuteCapabilityWorkflow_MemoAndCompletedActivity_CallsActivityWithContextsAndReturnsItsOutput()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = "hello" } }, Memo());
        var activity = history.ScheduleActivity(Activity);
        history.CompleteActivity(activity, Json("""{"y":"hello"}""")).CompleteWorkflow(Json("""{"y":"hello"}"""));

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-1"));

        Assert.Null(result.ReplayFailure);
        Assert.True(capture.Finished);
        Assert.Equal("""{"y":"hello"}""", Assert.IsType<JsonElement>(capture.Result).GetRawText());
        var scheduled = Assert.Single(capture.Activities);
        Assert.Equal(Activity, scheduled.Type);
        var input = Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(scheduled.Args));
        Assert.Equal("golden.echo", input.CapId);
        Assert.Equal("""{"x":"hello"}""", input.Input.GetRawText());
        Assert.Equal(Caller.InitiatorId, input.RunAs);
        Assert.Equal(Caller.TraceId, input.TraceId);
        Assert.Equal(ActivityHarness.Context, input.Ctx);
        Assert.Null(input.SecretRefs);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_ActivityOptions_ComeFromTheCapabilitysCatalogEntry()
    {
        var history = new HistoryBuilder(
            WorkflowNames.ExecuteCapability,
            new
            {
                capId = "golden.github_request",
                args = new { method = "GET", path = "/user" },
                config = new { verbose = true },
                secretRefs = new { githubToken = "/github/bot" },
            },
            Memo());
        history.ScheduleActivity(Activity);

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.github_request-1"));

        // The history stops while the activity runs: the workflow is in flight, not finished.
        Assert.Null(result.ReplayFailure);
        Assert.False(capture.Finished);
        var scheduled = Assert.Single(capture.Activities);
        Assert.Equal(TimeSpan.FromMinutes(1), scheduled.Options.StartToCloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), scheduled.Options.HeartbeatTimeout);
        Assert.Equal(1, scheduled.Options.RetryPolicy!.MaximumAttempts);
        Assert.Equal(ActivityCancellationType.WaitCancellationCompleted, scheduled.Options.CancellationType);
        Assert.Equal(HarmonyFailureTypes.NonRetryable.Order(), scheduled.Options.RetryPolicy.NonRetryableErrorTypes!.Order());
        var input = Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(scheduled.Args));
        Assert.Equal("/github/bot", input.SecretRefs!["githubToken"]);
        Assert.Equal("""{"verbose":true}""", input.Config!.Value.GetRawText());
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_NoSecurityContextInMemo_FailsAtOnceWithoutRetry()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } }, Memo(security: false))
            .FailWorkflow(HarmonyFailureTypes.SecurityContextMissingMessage);

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-2"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal("SecurityContext not set in workflow memo", failure.Message);
        Assert.True(failure.NonRetryable);
        Assert.Empty(capture.Activities);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_NoMemoAtAll_FailsWithSecurityContextMessage()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } })
            .FailWorkflow(HarmonyFailureTypes.SecurityContextMissingMessage);

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-3"));

        Assert.Null(result.ReplayFailure);
        Assert.Equal("SecurityContext not set in workflow memo", Assert.IsType<ApplicationFailureException>(capture.Failure).Message);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_NoGoldenContextInMemo_FailsWithoutSchedulingTheActivity()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } }, Memo(golden: false))
            .FailWorkflow(HarmonyFailureTypes.GoldenContextMissingMessage);

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-4"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal("GoldenContext not set in workflow memo", failure.Message);
        Assert.True(failure.NonRetryable);
        Assert.Empty(capture.Activities);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_UnknownCapability_FailsNonRetryableWithoutSchedulingTheActivity()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.nope", args = new { } }, Memo())
            .FailWorkflow("unknown");

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.nope-1"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal(HarmonyFailureTypes.UnknownCapability, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Empty(capture.Activities);
    }

    [Theory]
    [InlineData("""{"capId":"golden.echo"}""", "args")]
    [InlineData("""{"args":{"x":1}}""", "capId")]
    [InlineData("""{"capId":"golden.echo","args":null}""", "args")]
    [InlineData("null", "argument")]
    public async Task ExecuteCapabilityWorkflow_ArgumentMissingAPart_FailsTheWorkflowNonRetryableInsteadOfItsTask(string argument, string named)
    {
        // Left to throw, a bad argument would fail the workflow task over and over, and the workflow would hang.
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, JsonDocument.Parse(argument).RootElement.Clone(), Memo())
            .FailWorkflow("bad argument");

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-bad-" + named));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        Assert.Empty(capture.Activities);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_MemoOfWrongShape_FailsTheWorkflowInsteadOfItsTask()
    {
        var memo = new Dictionary<string, object> { [MemoKeys.SecurityContext] = new[] { 1, 2 } };
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } }, memo)
            .FailWorkflow("bad memo");

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-5"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.StartsWith("Workflow memo 'golden.securityContext' is not a valid SecurityContext", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.NonRetryable);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_ActivityFailed_FailsWithTheActivitysFailure()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } }, Memo());
        var activity = history.ScheduleActivity(Activity);
        history.FailActivity(activity, "container exited with code 2", HarmonyFailureTypes.ContainerFailed, nonRetryable: false, attempt: 3)
            .FailWorkflow("activity failed");

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-6"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ActivityFailureException>(capture.Failure);
        var cause = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(HarmonyFailureTypes.ContainerFailed, cause.ErrorType);
        Assert.Equal("container exited with code 2", cause.Message);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_ActivityRetriedThenCompleted_CompletesWithTheLastAttemptsOutput()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.math_add", args = new { a = 1, b = 2 } }, Memo());
        var activity = history.ScheduleActivity(Activity);
        history.CompleteActivity(activity, Json("""{"sum":3}"""), attempt: 3).CompleteWorkflow(Json("""{"sum":3}"""));

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.math_add-1"));

        Assert.Null(result.ReplayFailure);
        Assert.Equal("""{"sum":3}""", Assert.IsType<JsonElement>(capture.Result).GetRawText());
        Assert.Equal(3, Assert.Single(capture.Activities).Options.RetryPolicy!.MaximumAttempts);
    }

    [Fact]
    public async Task ExecuteCapabilityWorkflow_HistoryWithAnotherActivityType_IsReportedAsNondeterministic()
    {
        var history = new HistoryBuilder(WorkflowNames.ExecuteCapability, new { capId = "golden.echo", args = new { x = 1 } }, Memo());
        var activity = history.ScheduleActivity("someOtherActivity");
        history.CompleteActivity(activity, Json("""{"y":1}""")).CompleteWorkflow(Json("""{"y":1}"""));

        var (result, _) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build("golden.echo-7"));

        Assert.IsType<WorkflowNondeterminismException>(result.ReplayFailure);
    }

    [Fact]
    public async Task MathPipelineWorkflow_NullArgument_FailsTheWorkflowNonRetryableInsteadOfItsTask()
    {
        var history = new HistoryBuilder("mathPipelineWorkflow", JsonDocument.Parse("null").RootElement.Clone(), Memo())
            .FailWorkflow("no argument");

        var (result, capture) = await Replay.RunAsync<MathPipelineWorkflow>(history.Build("workflows.math_pipeline-null"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Fact]
    public async Task MathPipelineWorkflow_ThreeCompletedSteps_ReturnsSumAndMarkdownTable()
    {
        var history = new HistoryBuilder("mathPipelineWorkflow", new { a = 1, b = 2, c = 3.5 }, Memo());
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"sum":3}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"sum":6.5}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"y":6.5}"""));
        history.CompleteWorkflow(new { y = 6.5 });

        var (result, capture) = await Replay.RunAsync<MathPipelineWorkflow>(history.Build("workflows.math_pipeline-1"));

        Assert.Null(result.ReplayFailure);
        var calls = capture.Activities.Select(a => Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(a.Args))).ToList();
        Assert.Equal(["golden.math_add", "golden.math_add", "golden.echo"], calls.Select(c => c.CapId));
        Assert.Equal(["""{"a":1,"b":2}""", """{"a":3,"b":3.5}""", """{"x":6.5}"""], calls.Select(c => c.Input.GetRawText()));
        var output = Assert.IsType<MathPipelineOutput>(capture.Result);
        Assert.Equal(6.5, output.Y);
        Assert.Equal(
            "| step | capability | input | output |\n| --- | --- | --- | --- |\n"
            + "| 1 | golden.math_add | `{\"a\":1,\"b\":2}` | `{\"sum\":3}` |\n"
            + "| 2 | golden.math_add | `{\"a\":3,\"b\":3.5}` | `{\"sum\":6.5}` |\n"
            + "| 3 | golden.echo | `{\"x\":6.5}` | `{\"y\":6.5}` |\n",
            output.TableMarkdown);
        Assert.Equal(
            """{"y":6.5,"table_markdown":""" + JsonSerializer.Serialize(output.TableMarkdown) + "}",
            Encoding.UTF8.GetString(DataConverter.Default.PayloadConverter.ToPayload(output).Data.ToByteArray()));
    }

    [Fact]
    public async Task VerifiedReleaseWorkflow_ProbeHealthy_CompletesWithoutCompensation()
    {
        var history = new HistoryBuilder("verifiedReleaseWorkflow", ReleaseInput, Memo());
        history.CompleteActivity(
            history.ScheduleActivity(Activity),
            Json("""{"status":201,"body":{"id":77,"html_url":"https://github.com/acme/shop/releases/tag/v1.4.0"}}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"response_code":200,"url_effective":"x","time_total":0.1}"""));
        history.CompleteWorkflow(new { releaseId = 77, probeStatus = 200 });

        var (result, capture) = await Replay.RunAsync<VerifiedReleaseWorkflow>(history.Build("workflows.verified_release-1"));

        Assert.Null(result.ReplayFailure);
        Assert.Equal(new VerifiedReleaseOutput(77, "https://github.com/acme/shop/releases/tag/v1.4.0", 200), capture.Result);
        var calls = capture.Activities.Select(a => Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(a.Args))).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("""{"method":"POST","path":"/repos/acme/shop/releases","body":{"tag_name":"v1.4.0","name":"Spring"}}""", calls[0].Input.GetRawText());
        Assert.Equal("/github/release-bot#token", calls[0].SecretRefs!["githubToken"]);
        Assert.Equal("""{"url":"http://shop.shop.svc.cluster.local/health"}""", calls[1].Input.GetRawText());
    }

    [Fact]
    public async Task VerifiedReleaseWorkflow_ProbeUnhealthy_DeletesTheReleaseThenFailsWithTheProbeError()
    {
        var history = new HistoryBuilder("verifiedReleaseWorkflow", ReleaseInput, Memo());
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"status":201,"body":{"id":77}}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"response_code":503,"url_effective":"x","time_total":0.1}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"status":204,"body":null}"""));
        history.FailWorkflow("probe failed");

        var (result, capture) = await Replay.RunAsync<VerifiedReleaseWorkflow>(history.Build("workflows.verified_release-2"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal(VerifiedReleaseWorkflow.HealthCheckFailed, failure.ErrorType);
        Assert.Contains("answered 503, expected 200", failure.Message, StringComparison.Ordinal);
        var delete = Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(capture.Activities[2].Args));
        Assert.Equal("""{"method":"DELETE","path":"/repos/acme/shop/releases/77"}""", delete.Input.GetRawText());
        Assert.Equal("/github/release-bot#token", delete.SecretRefs!["githubToken"]);
    }

    [Fact]
    public async Task VerifiedReleaseWorkflow_CancelledWhileCreating_WaitsForTheReleaseThenDeletesItAndEndsCancelled()
    {
        // The cancel arrives while the create step's container runs; the step still creates the release before it
        // notices. The workflow must wait for that result and delete the release, not leave it behind.
        var history = new HistoryBuilder("verifiedReleaseWorkflow", ReleaseInput, Memo());
        var create = history.ScheduleActivity(Activity);
        history.RequestCancelWorkflow().RequestCancelActivity(create);
        history.CompleteActivity(create, Json("""{"status":201,"body":{"id":77}}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"status":204,"body":null}"""));
        history.CancelWorkflow();

        var (result, capture) = await Replay.RunAsync<VerifiedReleaseWorkflow>(history.Build("workflows.verified_release-6"));

        Assert.Null(result.ReplayFailure);
        Assert.True(capture.Finished);
        Assert.IsType<CanceledFailureException>(capture.Failure);

        // The probe is asked for but never scheduled, the workflow being cancelled by then: the history the replay
        // matched holds two activities, the create and the delete.
        var calls = capture.Activities.Select(a => Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(a.Args))).ToList();
        Assert.Equal(["golden.github_request", "golden.http_probe", "golden.github_request"], calls.Select(c => c.CapId));
        Assert.Equal("""{"method":"DELETE","path":"/repos/acme/shop/releases/77"}""", calls[2].Input.GetRawText());
    }

    [Fact]
    public async Task VerifiedReleaseWorkflow_CreateFails_RunsNoCompensationAndFails()
    {
        var history = new HistoryBuilder("verifiedReleaseWorkflow", ReleaseInput, Memo());
        history.FailActivity(history.ScheduleActivity(Activity), "GitHub answered HTTP 422", HarmonyFailureTypes.ContainerFailed, nonRetryable: false);
        history.FailWorkflow("create failed");

        var (result, capture) = await Replay.RunAsync<VerifiedReleaseWorkflow>(history.Build("workflows.verified_release-3"));

        Assert.Null(result.ReplayFailure);
        Assert.IsType<ActivityFailureException>(capture.Failure);
        Assert.Single(capture.Activities);
    }

    [Fact]
    public async Task VerifiedReleaseWorkflow_CreateAnswerWithoutReleaseId_FailsTheWorkflowNotItsTask()
    {
        var history = new HistoryBuilder("verifiedReleaseWorkflow", ReleaseInput, Memo());
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"status":201,"body":{"message":"odd"}}"""));
        history.FailWorkflow("no id");

        var (result, capture) = await Replay.RunAsync<VerifiedReleaseWorkflow>(history.Build("workflows.verified_release-5"));

        Assert.Null(result.ReplayFailure);
        var failure = Assert.IsType<ApplicationFailureException>(capture.Failure);
        Assert.Equal(BlueprintWorkflow.UnexpectedOutput, failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Fact]
    public async Task BlueprintWorkflow_StepFailsAfterThreeSteps_RunsCompensationsNewestFirstThenRethrows()
    {
        var history = new HistoryBuilder("compensationProbeWorkflow", 3, Memo());
        for (var i = 1; i <= 3; i++)
        {
            history.CompleteActivity(history.ScheduleActivity(Activity), Json($$"""{"y":"do-{{i}}"}"""));
        }

        history.FailActivity(history.ScheduleActivity(Activity), "math broke", HarmonyFailureTypes.ContainerFailed, nonRetryable: false);
        for (var i = 3; i >= 1; i--)
        {
            history.CompleteActivity(history.ScheduleActivity(Activity), Json($$"""{"y":"undo-{{i}}"}"""));
        }

        history.FailWorkflow("math broke");

        var (result, capture) = await Replay.RunAsync<CompensationProbeWorkflow>(history.Build("compensation-1"));

        Assert.Null(result.ReplayFailure);
        Assert.Equal(
            [
                """{"x":"do-1"}""", """{"x":"do-2"}""", """{"x":"do-3"}""", """{"a":1,"b":2}""",
                """{"x":"undo-3"}""", """{"x":"undo-2"}""", """{"x":"undo-1"}""",
            ],
            capture.Activities.Select(a => Assert.IsType<ExecuteDaggerCapabilityInput>(Assert.Single(a.Args)).Input.GetRawText()));
        var failure = Assert.IsType<ActivityFailureException>(capture.Failure);
        Assert.Equal("math broke", failure.InnerException!.Message);
    }

    [Fact]
    public async Task BlueprintWorkflow_CompensationFails_StillRunsTheOthersAndRethrowsTheOriginalError()
    {
        var history = new HistoryBuilder("compensationProbeWorkflow", 2, Memo());
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"y":"do-1"}"""));
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"y":"do-2"}"""));
        history.FailActivity(history.ScheduleActivity(Activity), "math broke", HarmonyFailureTypes.ContainerFailed, nonRetryable: false);
        history.FailActivity(history.ScheduleActivity(Activity), "undo-2 broke", HarmonyFailureTypes.ContainerFailed, nonRetryable: false);
        history.CompleteActivity(history.ScheduleActivity(Activity), Json("""{"y":"undo-1"}"""));
        history.FailWorkflow("math broke");

        var (result, capture) = await Replay.RunAsync<CompensationProbeWorkflow>(history.Build("compensation-2"));

        Assert.Null(result.ReplayFailure);
        Assert.Equal(5, capture.Activities.Count);
        Assert.Equal("math broke", Assert.IsType<ActivityFailureException>(capture.Failure).InnerException!.Message);
    }

    private static object ReleaseInput => new
    {
        owner = "acme",
        repo = "shop",
        tag = "v1.4.0",
        releaseName = "Spring",
        healthUrl = "http://shop.shop.svc.cluster.local/health",
        githubTokenRef = "/github/release-bot#token",
    };

    internal static Dictionary<string, object> Memo(bool security = true, bool golden = true)
    {
        var memo = new Dictionary<string, object>();
        if (security)
        {
            memo[MemoKeys.SecurityContext] = Caller;
        }

        if (golden)
        {
            memo[MemoKeys.GoldenContext] = ActivityHarness.Context;
        }

        return memo;
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
