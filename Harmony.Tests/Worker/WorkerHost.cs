using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Harmony.Core.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Temporalio.Api.Common.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Worker;

/// <summary>The worker's host built as its Program.cs builds it, on a free loopback port, with its log lines collected.</summary>
internal sealed record WorkerHost(WebApplication App, Uri BaseAddress, FakeLogCollector Logs) : IAsyncDisposable
{
    public static async Task<WorkerHost> StartAsync(Dictionary<string, string?> settings, Action<string>? onLogLine = null)
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

    /// <summary>A <c>golden.echo</c> activity task, as the frontend hands one to the worker's activity poll.</summary>
    public static PollActivityTaskQueueResponse ActivityTask(string inputJson, string workflowId = "golden.echo-host", Header? header = null)
    {
        var now = Timestamp.FromDateTime(DateTime.UtcNow);
        var input = new ExecuteDaggerCapabilityInput(
            "golden.echo", JsonDocument.Parse(inputJson).RootElement.Clone(), null, null, "alice@example.com", "trace-1", ActivityHarness.Context);
        return new PollActivityTaskQueueResponse
        {
            TaskToken = ByteString.CopyFromUtf8("task-1"),
            WorkflowNamespace = "default",
            WorkflowType = new WorkflowType { Name = WorkflowNames.ExecuteCapability },
            WorkflowExecution = new WorkflowExecution { WorkflowId = workflowId, RunId = "run-1" },
            ActivityType = new ActivityType { Name = WorkflowNames.ExecuteDaggerCapabilityActivity },
            ActivityId = "1",
            Input = new Payloads { Payloads_ = { HistoryBuilder.ToPayload(input) } },
            ScheduledTime = now,
            CurrentAttemptScheduledTime = now,
            StartedTime = now,
            Attempt = 1,
            ScheduleToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)),
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(1)),
            HeartbeatTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
            Header = header,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
