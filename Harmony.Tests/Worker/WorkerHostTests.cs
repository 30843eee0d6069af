using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harmony.Core.Workflows;
using Microsoft.Extensions.Logging;

namespace Harmony.Tests.Worker;

public sealed class WorkerHostTests
{
    [Fact]
    public async Task Host_TemporalUnreachable_Answers503KeepsRetryingAndStaysUp()
    {
        var retriedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var address = $"127.0.0.1:{ClosedPort()}";
        await using var host = await WorkerHost.StartAsync(
            new() { ["TEMPORAL_ADDRESS"] = address },
            line =>
            {
                if (line.Contains("(attempt 2)", StringComparison.Ordinal))
                {
                    retriedTwice.TrySetResult();
                }
            });

        await retriedTwice.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.False(host.App.Lifetime.ApplicationStopping.IsCancellationRequested);
        var retries = host.Logs.GetSnapshot().Where(r => r.Message.StartsWith($"Temporal at {address} is not available", StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= 2);
        Assert.Contains("retrying in 1 s", retries[0].Message, StringComparison.Ordinal);
        Assert.Contains("retrying in 2 s", retries[1].Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", retries[0].Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Host_WorkerFailsRightAfterConnecting_BacksOffFurtherEachTimeInsteadOfStartingOverEverySecond()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        temporal.RefusedMethod = "DescribeNamespace";
        var failedThrice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 0;
        await using var host = await WorkerHost.StartAsync(
            new() { ["TEMPORAL_ADDRESS"] = temporal.Address },
            line =>
            {
                if (line.Contains("The worker for task queue", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 3)
                {
                    failedThrice.TrySetResult();
                }
            });

        await failedThrice.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        var restarts = host.Logs.GetSnapshot()
            .Where(r => r.Message.StartsWith("The worker for task queue golden-tools failed", StringComparison.Ordinal))
            .Select(r => r.Message[r.Message.IndexOf("again in", StringComparison.Ordinal)..])
            .Take(3);
        Assert.Equal(["again in 1 s", "again in 2 s", "again in 4 s"], restarts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task Host_TemporalReachable_PollsItsTaskQueueAsItsBuildAndAnswers200()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        await using var host = await WorkerHost.StartAsync(new()
        {
            ["TEMPORAL_ADDRESS"] = temporal.Address,
            ["TEMPORAL_NAMESPACE"] = "harmony-tests",
            ["TEMPORAL_TASK_QUEUE"] = "golden-tools-test",
            ["WORKER_BUILD_ID"] = "build-42",
        });

        var poll = await temporal.ActivityPoll.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("harmony-tests", poll.Namespace);
        Assert.Equal("golden-tools-test", poll.TaskQueue.Name);
        Assert.Equal("build-42", poll.DeploymentOptions.BuildId);
        Assert.Equal("harmony-worker", poll.DeploymentOptions.DeploymentName);
        var polling = $"Polling task queue golden-tools-test in namespace harmony-tests at {temporal.Address} as build build-42";
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message == polling);

        // The fake advertises no server capabilities, so Temporal's native core warns about it; the warning must
        // arrive through ILogger, not on stdout.
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Category == "Temporalio.Core" && r.Level == LogLevel.Warning);

        // Stopping drains and returns well within the grace period the test configured.
        await host.App.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message == "Stopped polling task queue golden-tools-test");
    }

    [Fact]
    public async Task Host_ActivityTaskWithDaggerDisabled_ReportsNonRetryableFailureToTemporal()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        temporal.EnqueueActivityTask(WorkerHost.ActivityTask("""{"x":"hi"}"""));
        await using var host = await WorkerHost.StartAsync(new() { ["TEMPORAL_ADDRESS"] = temporal.Address });

        var failed = await temporal.ActivityFailed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("task-1", failed.TaskToken.ToStringUtf8());
        Assert.Equal(HarmonyFailureTypes.DaggerE2EDisabled, failed.Failure.ApplicationFailureInfo.Type);
        Assert.True(failed.Failure.ApplicationFailureInfo.NonRetryable);
    }

    [Fact]
    public async Task Host_StoppedWhileActivityRuns_LetsTheActivityFinishAndReportsItsResult()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        await using var engine = await FakeDaggerEngine.StartAsync(TestContext.Current.CancellationToken);
        temporal.EnqueueActivityTask(WorkerHost.ActivityTask("""{"x":"hi"}"""));
        engine.Stdout = """{"y":"hi"}""";
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The container "runs" until the host has begun to stop, so the result arrives during the drain.
        engine.BeforeRunAnswer = async _ =>
        {
            running.TrySetResult();
            await stopping.Task;
        };
        await using var host = await WorkerHost.StartAsync(new()
        {
            ["TEMPORAL_ADDRESS"] = temporal.Address,
            ["ENABLE_DAGGER_E2E"] = "true",
            ["DAGGER_SESSION_PORT"] = engine.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["DAGGER_SESSION_TOKEN"] = FakeDaggerEngine.SessionToken,
        });
        host.App.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());

        await running.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await host.App.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.True(temporal.ActivityCompleted.Task.IsCompletedSuccessfully, "the activity's result was not reported before the host stopped");
        var completed = await temporal.ActivityCompleted.Task;
        Assert.Equal("""{"y":"hi"}""", completed.Result.Payloads_[0].Data.ToStringUtf8());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
