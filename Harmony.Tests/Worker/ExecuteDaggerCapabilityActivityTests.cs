using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Workflows;
using Harmony.Worker.Activities;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace Harmony.Tests.Worker;

public sealed class ExecuteDaggerCapabilityActivityTests
{
    private const string GitHubToken = "ghp_TopSecretValue0123456789";

    [Fact]
    public async Task ExecuteAsync_Echo_SendsExactQueryAndVariablesAndReturnsOutput()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"y":"hello"}""";

        var output = await harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":"hello"}"""));

        Assert.Equal("""{"y":"hello"}""", output.GetRawText());
        var run = Assert.Single(harness.Engine.Calls);
        Assert.Equal(
            """
            query RunCapability($image: String!, $env0Name: String!, $env0Value: String!, $runId: String!, $args: [String!]!, $useEntrypoint: Boolean!) {
              container {
                from(address: $image) {
                  withEnvVariable(name: $env0Name, value: $env0Value) {
                    withEnvVariable(name: "HARMONY_RUN_ID", value: $runId) {
                      withExec(args: $args, useEntrypoint: $useEntrypoint) {
                        stdout
                      }
                    }
                  }
                }
              }
            }
            """.ReplaceLineEndings("\n"),
            run.Query);
        var expectedVariables = new JsonObject
        {
            ["image"] = "docker.io/library/alpine:3.20",
            ["env0Name"] = "HARMONY_X",
            ["env0Value"] = "\"hello\"",
            ["runId"] = "golden.echo-6f1c/run-1/1/1",
            ["args"] = new JsonArray("sh", "-c", """printf '{"y":%s}' "$HARMONY_X" """),
            ["useEntrypoint"] = false,
        };
        Assert.True(JsonNode.DeepEquals(expectedVariables, JsonNode.Parse(run.Variables.GetRawText())), run.Variables.GetRawText());
    }

    [Fact]
    public async Task ExecuteAsync_OpenBaoReference_ReadsKvV2WithTokenAndPassesValueOnlyAsDaggerSecret()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("github/release-bot", new JsonObject { ["token"] = GitHubToken, ["value"] = "not-this-one" });
        harness.Engine.Stdout = """{"status":200,"body":{"id":1}}""";

        await harness.RunAsync(ActivityHarness.Call(
            "golden.github_request",
            """{"method":"GET","path":"/repos/acme/shop/releases/latest"}""",
            new Dictionary<string, string> { ["githubToken"] = "/github/release-bot#token" }));

        var read = Assert.Single(harness.OpenBao.Server.Requests);
        Assert.Equal("GET", read.Method);
        Assert.Equal("/v1/secret/data/github/release-bot", read.PathAndQuery);
        Assert.Equal(FakeOpenBao.Token, read.Headers["X-Vault-Token"]);

        var setSecret = Assert.Single(harness.Engine.SetSecretCalls);
        Assert.Equal(GitHubToken, setSecret.Variables.GetProperty("plaintext").GetString());
        Assert.Equal("golden.echo-6f1c/run-1/1/1/githubToken", setSecret.Variables.GetProperty("name").GetString());

        var run = Assert.Single(harness.Engine.RunCalls);
        Assert.Contains("withSecretVariable(name: $secretEnv0Name, secret: \"secret-id-1\")", run.Query, StringComparison.Ordinal);
        Assert.Equal("GH_TOKEN", run.Variables.GetProperty("secretEnv0Name").GetString());
        Assert.DoesNotContain(GitHubToken, run.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, run.Variables.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("GET", run.Variables.GetProperty("env0Value").GetString());
        Assert.Equal("/repos/acme/shop/releases/latest", run.Variables.GetProperty("env1Value").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_SecretFileAndEntrypoint_MountsSecretAndWritesFilesInExactQuery()
    {
        const string kubeconfig = "apiVersion: v1\nkind: Config\nusers: [{name: bot, user: {token: kube-secret-123}}]";
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("clusters/prod", new JsonObject { ["kubeconfig"] = kubeconfig });
        harness.Engine.Stdout = """{"apiVersion":"v1","kind":"ConfigMap"}""";

        await harness.RunAsync(ActivityHarness.Call(
            "golden.kubectl_apply",
            """{"manifest":"kind: ConfigMap","namespace":"shop","dryRun":"server"}""",
            new Dictionary<string, string> { ["kubeconfig"] = "/clusters/prod#kubeconfig" }));

        Assert.Equal(kubeconfig, Assert.Single(harness.Engine.SetSecretCalls).Variables.GetProperty("plaintext").GetString());
        var run = Assert.Single(harness.Engine.RunCalls);
        Assert.Equal(
            """
            query RunCapability($image: String!, $file0Path: String!, $file0Contents: String!, $secretFile0Path: String!, $runId: String!, $args: [String!]!, $useEntrypoint: Boolean!) {
              container {
                from(address: $image) {
                  withNewFile(path: $file0Path, contents: $file0Contents) {
                    withMountedSecret(path: $secretFile0Path, source: "secret-id-1") {
                      withEnvVariable(name: "HARMONY_RUN_ID", value: $runId) {
                        withExec(args: $args, useEntrypoint: $useEntrypoint) {
                          stdout
                        }
                      }
                    }
                  }
                }
              }
            }
            """.ReplaceLineEndings("\n"),
            run.Query);
        var expectedVariables = new JsonObject
        {
            ["image"] = "registry.k8s.io/kubectl:v1.32.9",
            ["file0Path"] = "/harmony/manifest.yaml",
            ["file0Contents"] = "kind: ConfigMap",
            ["secretFile0Path"] = "/harmony/secrets/kubeconfig",
            ["runId"] = "golden.echo-6f1c/run-1/1/1",
            ["args"] = new JsonArray(
                "apply", "--server-side", "--field-manager=harmony", "--kubeconfig", "/harmony/secrets/kubeconfig",
                "--namespace", "shop", "--output", "json", "--filename", "/harmony/manifest.yaml", "--dry-run=server"),
            ["useEntrypoint"] = true,
        };
        Assert.True(JsonNode.DeepEquals(expectedVariables, JsonNode.Parse(run.Variables.GetRawText())), run.Variables.GetRawText());
    }

    [Fact]
    public async Task ExecuteAsync_SameProbeAgainInAnotherAttemptActivityOrRun_RunsTheContainerEachTimeInsteadOfFromCache()
    {
        await using var harness = await ActivityHarness.StartAsync();
        var probe = ActivityHarness.Call("golden.http_probe", """{"url":"http://api.shop.svc.cluster.local/health"}""");
        string[] statuses = [];

        // The service's health changes between the probes; each must see it as it is then, not the engine's cached answer.
        foreach (var (code, info) in new (int, Func<ActivityInfo, ActivityInfo>)[]
        {
            (503, info => info),
            (200, info => info with { Attempt = 2 }),
            (500, info => info with { ActivityId = "2" }),
            (204, info => info with { WorkflowRunId = "run-2" }),
        })
        {
            harness.Engine.Stdout = $$"""{"response_code":{{code}},"url_effective":"x","time_total":0.1}""";
            var output = await harness.RunAsAsync(probe, info);
            statuses = [.. statuses, output.GetProperty("response_code").GetRawText()];
        }

        Assert.Equal(["503", "200", "500", "204"], statuses);
        Assert.Equal(4, harness.Engine.Executions);
        Assert.Equal(
            ["golden.echo-6f1c/run-1/1/1", "golden.echo-6f1c/run-1/1/2", "golden.echo-6f1c/run-1/2/1", "golden.echo-6f1c/run-2/1/1"],
            harness.Engine.RunCalls.Select(c => c.Variables.GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task ExecuteAsync_OpenBaoReferenceWithoutKey_ReadsKeyValue()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("github/bot", new JsonObject { ["value"] = GitHubToken });
        harness.Engine.Stdout = """{"status":200,"body":{"id":1}}""";

        await harness.RunAsync(ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = "/github/bot" }));

        Assert.Equal(GitHubToken, Assert.Single(harness.Engine.SetSecretCalls).Variables.GetProperty("plaintext").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_PlaintextSecretReference_PassesItAsDaggerSecretWithoutAskingOpenBao()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"status":200,"body":null}""";

        await harness.RunAsync(ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = GitHubToken }));

        Assert.Empty(harness.OpenBao.Server.Requests);
        Assert.Equal(GitHubToken, Assert.Single(harness.Engine.SetSecretCalls).Variables.GetProperty("plaintext").GetString());
        Assert.DoesNotContain(GitHubToken, Assert.Single(harness.Engine.RunCalls).Variables.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingOpenBaoSecret_FailsRetryableNamingTheReference()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = "/github/gone" })));

        Assert.Equal(HarmonyFailureTypes.SecretUnavailable, failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Contains("/github/gone", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Engine.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_MalformedOpenBaoReference_FailsValidationNonRetryableWithoutContactingAnything()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(ActivityHarness.Call(
            "golden.github_request",
            """{"method":"GET","path":"/user"}""",
            new Dictionary<string, string> { ["githubToken"] = "/github/../sys/raw#token" })));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains(
            "secretRefs/githubToken: Secret reference '/github/../sys/raw#token' is not of the form", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OpenBao.Server.Requests);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_NullPartsFromAnotherClient_FailNonRetryableInsteadOfCrashing()
    {
        await using var harness = await ActivityHarness.StartAsync();
        var noCapability = JsonSerializer.Deserialize<ExecuteDaggerCapabilityInput>(
            """{"input":{"x":1},"runAs":"alice@example.com","ctx":{"app_id":"a","environment":"e","initiator_id":"i","trace_id":"t"}}""")!;
        var nullReference = JsonSerializer.Deserialize<ExecuteDaggerCapabilityInput>(
            """
            {"capId":"golden.github_request","input":{"method":"GET","path":"/user"},"secretRefs":{"githubToken":null},
             "runAs":"alice@example.com","ctx":{"app_id":"a","environment":"e","initiator_id":"i","trace_id":"t"}}
            """)!;

        var unknown = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(noCapability));
        var invalid = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(nullReference));

        Assert.Equal((HarmonyFailureTypes.UnknownCapability, true), (unknown.ErrorType, unknown.NonRetryable));
        Assert.Equal((HarmonyFailureTypes.ValidationFailed, true), (invalid.ErrorType, invalid.NonRetryable));
        Assert.Contains("secretRefs/githubToken: The reference is null", invalid.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_DaggerDisabled_FailsNonRetryableWithoutContactingAnything()
    {
        await using var harness = await ActivityHarness.StartAsync(daggerEnabled: false);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""")));

        Assert.Equal(HarmonyFailureTypes.DaggerE2EDisabled, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("ENABLE_DAGGER_E2E=1", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Engine.Server.Requests);
        Assert.Empty(harness.OpenBao.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_NoGoldenContext_FailsNonRetryableWithDesignMessage()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""") with { Ctx = null }));

        Assert.Equal("GoldenContext not set in workflow memo", failure.Message);
        Assert.True(failure.NonRetryable);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidInput_FailsNonRetryableListingEveryErrorPath()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.math_add", """{"a":"one","extra":true}""")));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("input/a:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("input/extra:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("required", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_MissingRequiredSecretReference_FailsValidationOnSecretRefs()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.github_request", """{"method":"GET","path":"/user"}""")));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.Contains("secretRefs", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_NoInputAtAll_FailsValidationInsteadOfCrashing()
    {
        await using var harness = await ActivityHarness.StartAsync();
        var call = JsonSerializer.Deserialize<ExecuteDaggerCapabilityInput>(
            """{"capId":"golden.echo","runAs":"alice@example.com","ctx":{"app_id":"a","environment":"e","initiator_id":"i","trace_id":"t"}}""")!;

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(call));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.Contains("input: The call has no input.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_EmptySecretReference_FailsValidationOnSecretRefs()
    {
        await using var harness = await ActivityHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = "" })));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.Contains("secretRefs/githubToken:", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Engine.Server.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_OutputNotJson_FailsNonRetryableQuotingAtMostTwoKilobytes()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = "Segmentation fault " + new string('x', 10_000);

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""")));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("not JSON: Segmentation fault xxx", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(10019 characters in all)", failure.Message, StringComparison.Ordinal);
        Assert.True(failure.Message.Length < ExecuteDaggerCapabilityActivity.QuotedOutputLimit + 200, $"message is {failure.Message.Length} long");
    }

    [Fact]
    public async Task ExecuteAsync_OutputViolatesSchema_FailsNonRetryableQuotingTheOutput()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"total":3}""";

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.math_add", """{"a":1,"b":2}""")));

        Assert.Equal(HarmonyFailureTypes.ValidationFailed, failure.ErrorType);
        Assert.Contains("does not match its output schema", failure.Message, StringComparison.Ordinal);
        Assert.Contains("""{"total":3}""", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ContainerExitsNonZero_FailsRetryableWithExitCodeAndStderr()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.ExecFailure = (3, "awk: division by zero");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => harness.RunAsync(ActivityHarness.Call("golden.math_add", """{"a":1,"b":2}""")));

        Assert.Equal(HarmonyFailureTypes.ContainerFailed, failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("awk: division by zero", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, failure.Details.Count);
        var details = failure.Details.ElementAt<ExecuteDaggerCapabilityActivity.ContainerFailure>(0);
        Assert.Equal(3, details.ExitCode);
    }

    [Fact]
    public async Task ExecuteAsync_EngineUnreachable_FailsRetryableAsDaggerUnavailable()
    {
        var harness = await ActivityHarness.StartAsync();
        await harness.Engine.DisposeAsync();
        try
        {
            var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
                () => harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""")));

            Assert.Equal(HarmonyFailureTypes.DaggerUnavailable, failure.ErrorType);
            Assert.False(failure.NonRetryable);
        }
        finally
        {
            await harness.OpenBao.DisposeAsync();
        }
    }

    [Fact]
    public async Task ExecuteAsync_ContainerRunsLong_HeartbeatsUntilItFinishes()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"y":1}""";

        // The engine answers only after the activity heartbeated three times while the container "ran".
        harness.Engine.BeforeRunAnswer = context => harness.ThreeHeartbeats.Task.WaitAsync(context.RequestAborted);

        await harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""")).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(harness.Heartbeats >= 3);
    }

    [Fact]
    public async Task ExecuteAsync_OpenBaoAnswersSlowly_HeartbeatsWhileItWaits()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("github/bot", new JsonObject { ["value"] = GitHubToken });
        harness.Engine.Stdout = """{"status":200,"body":null}""";

        // OpenBao answers only after the activity heartbeated three times, before any container was started.
        harness.OpenBao.BeforeAnswer = context => harness.ThreeHeartbeats.Task.WaitAsync(context.RequestAborted);

        var call = ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = "/github/bot" });
        await harness.RunAsync(call).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(harness.Heartbeats >= 3);
        Assert.Single(harness.Engine.RunCalls);
    }

    [Fact]
    public async Task ExecuteAsync_Cancelled_AbortsTheEngineRequestAndThrowsCancellation()
    {
        await using var harness = await ActivityHarness.StartAsync();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Engine.BeforeRunAnswer = async context =>
        {
            context.RequestAborted.Register(() => aborted.TrySetResult());
            running.TrySetResult();
            await aborted.Task;
        };

        var run = harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}"""));
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        harness.Environment.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ExecuteAsync_LogsAndSpans_CarryTraceCapabilityInitiatorAndApp()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"y":1}""";

        await harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}"""));

        var record = harness.Logger.Collector.GetSnapshot().First(r => r.Message.StartsWith("Running capability golden.echo", StringComparison.Ordinal));
        var scope = record.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(ActivityHarness.Context.TraceId, scope["trace_id"]);
        Assert.Equal("golden.echo", scope["capability_id"]);
        Assert.Equal(ActivityHarness.Context.InitiatorId, scope["initiator_id"]);
        Assert.Equal(ActivityHarness.Context.AppId, scope["app_id"]);
    }

    [Fact]
    public async Task ExecuteAsync_Span_CarriesTraceCapabilityInitiatorAndApp()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.Stdout = """{"y":1}""";
        var traceId = Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Harmony",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (Equals(span.GetTagItem("trace_id"), traceId))
                {
                    lock (spans)
                    {
                        spans.Add(span);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await harness.RunAsync(ActivityHarness.Call("golden.echo", """{"x":1}""") with { TraceId = traceId });

        var span = Assert.Single(spans);
        Assert.Equal("capability golden.echo", span.DisplayName);
        Assert.Equal("golden.echo", span.GetTagItem("capability_id"));
        Assert.Equal(ActivityHarness.Context.InitiatorId, span.GetTagItem("initiator_id"));
        Assert.Equal(ActivityHarness.Context.AppId, span.GetTagItem("app_id"));
    }

    [Fact]
    public async Task ExecuteAsync_SecretPrintedOrFailing_NeverReachesResultErrorsOrLogs()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.OpenBao.With("github/release-bot", new JsonObject { ["token"] = GitHubToken });
        var refs = new Dictionary<string, string> { ["githubToken"] = "/github/release-bot#token" };
        var input = ActivityHarness.Call("golden.github_request", """{"method":"GET","path":"/user"}""", refs);

        // A careless container prints the token on stdout ...
        harness.Engine.Stdout = $$$"""{"status":200,"body":{"echo":"{{{GitHubToken}}}","quoted":"Bearer {{{GitHubToken}}}"}}""";
        var output = await harness.RunAsync(input);

        // ... then on stderr as it fails, and then in output that is not JSON.
        harness.Engine.ExecFailure = (22, $"curl: (22) 401 for token {GitHubToken}");
        var execFailure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(input));
        harness.Engine.ExecFailure = null;
        harness.Engine.Stdout = $"token={GitHubToken}";
        var outputFailure = await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(input));

        Assert.DoesNotContain(GitHubToken, output.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", output.GetRawText(), StringComparison.Ordinal);
        foreach (var failure in new[] { execFailure, outputFailure })
        {
            Assert.DoesNotContain(GitHubToken, failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(GitHubToken, JsonSerializer.Serialize(((OutboundFailureDetails)failure.Details).Details), StringComparison.Ordinal);
        }

        var logs = LogText.Of(harness.Logger);
        Assert.Contains("/github/release-bot#token", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_PlaintextSecret_NeverReachesLogs()
    {
        await using var harness = await ActivityHarness.StartAsync();
        harness.Engine.ExecFailure = (1, "bad credentials");

        await Assert.ThrowsAsync<ApplicationFailureException>(() => harness.RunAsync(ActivityHarness.Call(
            "golden.github_request", """{"method":"GET","path":"/user"}""", new Dictionary<string, string> { ["githubToken"] = GitHubToken })));

        var logs = LogText.Of(harness.Logger);
        Assert.Contains("githubToken=(plaintext)", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, logs, StringComparison.Ordinal);
    }
}
