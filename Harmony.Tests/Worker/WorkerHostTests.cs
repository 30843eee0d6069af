using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Harmony.Tests.Worker;

public sealed class WorkerHostTests
{
    [Fact]
    public async Task Host_TemporalUnreachable_Answers503KeepsRetryingAndStaysUp()
    {
        var retriedTwice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var address = $"127.0.0.1:{ClosedPort()}";
        await using var host = await StartWorkerAsync(
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
    public async Task Host_TemporalReachable_PollsItsTaskQueueAsItsBuildAndAnswers200()
    {
        await using var temporal = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        await using var host = await StartWorkerAsync(new()
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
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message == $"Polling task queue golden-tools-test in namespace harmony-tests at {temporal.Address} as build build-42");

        // Stopping drains and returns well within the grace period the test configured.
        await host.App.StopAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message == "Stopped polling task queue golden-tools-test");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<WorkerHost> StartWorkerAsync(Dictionary<string, string?> settings, Action<string>? onLogLine = null)
    {
        settings["WORKER_SHUTDOWN_GRACE_SECONDS"] = "2";
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging(options => options.OutputSink = line => onLogLine?.Invoke(line));

        // The same steps as the worker's Program.cs.
        builder.AddServiceDefaults();
        builder.AddHarmonyWorker();
        var app = builder.Build();
        app.MapDefaultEndpoints();

        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new WorkerHost(app, new Uri(address), app.Services.GetFakeLogCollector());
    }

    private sealed record WorkerHost(WebApplication App, Uri BaseAddress, FakeLogCollector Logs) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync(CancellationToken.None);
            await App.DisposeAsync();
        }
    }
}
