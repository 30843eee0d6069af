using System.Diagnostics;
using Microsoft.Extensions.Options;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;
using Temporalio.Runtime;
using Temporalio.Worker;

namespace Harmony.Worker.Hosting;

/// <summary>
/// Connects to Temporal and runs the worker. Unlike the stock hosted worker, which ends the host when Temporal is not
/// reachable at start, it keeps trying with a growing pause, so the worker can start before Temporal does; and a
/// worker that fails later is started again the same way instead of taking the process down.
/// </summary>
internal sealed partial class ResilientTemporalWorker(
    WorkerSettings settings,
    TemporalRuntime runtime,
    IOptionsMonitor<TemporalWorkerServiceOptions> workerOptions,
    TemporalConnectionState state,
    ILoggerFactory loggerFactory,
    ILogger<ResilientTemporalWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var attempt = 0;
        var polling = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            attempt++;
            try
            {
                var client = await ConnectAsync(stoppingToken).ConfigureAwait(false);
                attempt = 0;
                polling.Restart();
                await RunWorkerAsync(client, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One log line per attempt, saying why and when the next one comes; the host lives on.
                if (attempt == 0)
                {
                    // Only a worker that polled for a good while starts over with the shortest pause; one that fails
                    // right after connecting (an unknown namespace, say) backs off like a failed connection.
                    if (polling.Elapsed > LongestPause)
                    {
                        pause = FirstPause;
                    }

                    state.NotPolling($"the worker stopped: {e.Message}");
                    LogWorkerFailed(logger, settings.TaskQueue, pause.TotalSeconds, e);
                }
                else
                {
                    state.NotPolling($"not connected to Temporal at {settings.Address}: {e.Message}");
                    LogRetrying(logger, settings.Address, attempt, pause.TotalSeconds, e.Message);
                }
            }

            try
            {
                await Task.Delay(pause, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }

        state.NotPolling("the worker is shutting down");
        LogStopped(logger, settings.TaskQueue);
    }

    private Task<TemporalClient> ConnectAsync(CancellationToken stoppingToken) =>
        TemporalClient.ConnectAsync(new TemporalClientConnectOptions(settings.Address)
        {
            Namespace = settings.Namespace,
            Runtime = runtime,
            LoggerFactory = loggerFactory,
        }).WaitAsync(stoppingToken);

    private async Task RunWorkerAsync(TemporalClient client, CancellationToken stoppingToken)
    {
        var options = (TemporalWorkerServiceOptions)workerOptions.Get(settings.TaskQueue).Clone();
        options.LoggerFactory ??= loggerFactory;
        using var worker = new TemporalWorker(client, options);
        state.Polling($"polling task queue {settings.TaskQueue} in namespace {settings.Namespace} at {settings.Address}");
        LogPolling(logger, settings.TaskQueue, settings.Namespace, settings.Address, settings.BuildId);

        // Returns when the host stops, after in-flight activities had the graceful shutdown timeout to finish.
        await worker.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Polling task queue {TaskQueue} in namespace {Namespace} at {Address} as build {BuildId}")]
    private static partial void LogPolling(ILogger logger, string taskQueue, string @namespace, string address, string buildId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Temporal at {Address} is not available (attempt {Attempt}); retrying in {PauseSeconds} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string address, int attempt, double pauseSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The worker for task queue {TaskQueue} failed; starting it again in {PauseSeconds} s")]
    private static partial void LogWorkerFailed(ILogger logger, string taskQueue, double pauseSeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped polling task queue {TaskQueue}")]
    private static partial void LogStopped(ILogger logger, string taskQueue);
}
