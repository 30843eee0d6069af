using System.Text;
using System.Text.Json.Nodes;
using Harmony.Core.Workflows;
using Harmony.Worker.Workflows;
using Temporalio.Api.Failure.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace Harmony.Tests.Worker;

/// <summary>
/// A secret from OpenBao that a careless container prints, followed from the activity through Temporal into the
/// workflow: what the activity reports is what history records, and the workflow's payloads are what it stores next.
/// </summary>
public sealed class SecretLeakTests
{
    private const string Secret = "ghp_LeakCanary0123456789abcdef";
    private const string Reference = "/github/release-bot#token";
    private const string Activity = WorkflowNames.ExecuteDaggerCapabilityActivity;

    [Fact]
    public async Task CapabilityRun_ContainerPrintsTheSecret_NoLogActivityResultFailureOrWorkflowPayloadCarriesIt()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("github/release-bot", new JsonObject { ["token"] = Secret });
        var call = ActivityHarness.Call(
            "golden.github_request",
            """{"method":"GET","path":"/user"}""",
            new Dictionary<string, string> { ["githubToken"] = Reference });

        // The container echoes the token on stdout, then, on a second run, on stderr as it fails.
        harness.Engine.Stdout = $$$"""{"status":200,"body":{"login":"bot","seen":"Bearer {{{Secret}}}"}}""";
        var output = await harness.RunAsync(call);
        harness.Engine.ExecFailure = (22, $"curl: (22) 401 with Authorization: Bearer {Secret}");
        var activityFailure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(call));
        var reportedFailure = DataConverter.Default.FailureConverter.ToFailure(activityFailure, DataConverter.Default.PayloadConverter);

        // The secret did reach the engine, as a Dagger secret: the canary is live.
        Assert.All(harness.Engine.SetSecretCalls, c => Assert.Equal(Secret, c.Variables.GetProperty("plaintext").GetString()));
        Assert.Equal(2, harness.Engine.SetSecretCalls.Count);

        var succeeded = await ReplayAsync(history => history.CompleteActivity(history.ScheduleActivity(Activity), output)
            .CompleteWorkflow(output), "golden.github_request-leak-1");
        var failed = await ReplayAsync(history => history.FailActivity(history.ScheduleActivity(Activity), reportedFailure)
            .FailWorkflow("failed"), "golden.github_request-leak-2");

        var texts = new List<string> { LogText.Of(harness.Logger), Text(reportedFailure) };
        foreach (var capture in new[] { succeeded, failed })
        {
            texts.AddRange(capture.Activities.SelectMany(a => a.Args).Select(Payload));
        }

        texts.Add(Payload(succeeded.Result));
        texts.Add(Text(DataConverter.Default.FailureConverter.ToFailure(failed.Failure!, DataConverter.Default.PayloadConverter)));
        Assert.All(texts, text => Assert.DoesNotContain(Secret, text, StringComparison.Ordinal));
        Assert.Contains("Bearer [REDACTED]", Payload(succeeded.Result), StringComparison.Ordinal);
        Assert.Contains("Bearer [REDACTED]", Text(reportedFailure), StringComparison.Ordinal);
        Assert.Contains(texts, text => text.Contains(Reference, StringComparison.Ordinal));
    }

    private static async Task<ReplayCapture> ReplayAsync(Action<HistoryBuilder> events, string workflowId)
    {
        var history = new HistoryBuilder(
            WorkflowNames.ExecuteCapability,
            new
            {
                capId = "golden.github_request",
                args = new { method = "GET", path = "/user" },
                secretRefs = new { githubToken = Reference },
            },
            WorkflowReplayTests.Memo());
        events(history);

        var (result, capture) = await Replay.RunAsync<ExecuteCapabilityWorkflow>(history.Build(workflowId));

        Assert.Null(result.ReplayFailure);
        Assert.True(capture.Finished);
        return capture;
    }

    private static string Payload(object? value) =>
        Encoding.UTF8.GetString(DataConverter.Default.PayloadConverter.ToPayload(value).Data.ToByteArray());

    /// <summary>A failure as text: messages, stack traces and every detail payload, down the chain of causes.</summary>
    private static string Text(Failure? failure)
    {
        var text = new StringBuilder();
        for (; failure is not null; failure = failure.Cause)
        {
            text.AppendLine(failure.Message).AppendLine(failure.StackTrace);
            foreach (var detail in failure.ApplicationFailureInfo?.Details?.Payloads_ ?? [])
            {
                text.AppendLine(detail.Data.ToStringUtf8());
            }
        }

        return text.ToString();
    }
}
