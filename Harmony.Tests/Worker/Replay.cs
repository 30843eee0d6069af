using Temporalio.Common;
using Temporalio.Worker;

namespace Harmony.Tests.Worker;

/// <summary>Replays one history with Temporal's replayer, capturing what the workflow did and logged.</summary>
internal static class Replay
{
    public static async Task<(WorkflowReplayResult Result, ReplayCapture Capture)> RunAsync<TWorkflow>(WorkflowHistory history)
    {
        var capture = new ReplayCapture();
        var replayer = new WorkflowReplayer(
            new WorkflowReplayerOptions { Interceptors = [capture] }.AddWorkflow<TWorkflow>());

        // A malformed history can make the replayer wait forever, and it ignores cancellation, so the wait is bounded.
        var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (result, capture);
    }
}
