using Harmony.Worker.Workflows;
using Temporalio.Workflows;

namespace Harmony.Tests.Worker;

/// <summary>
/// A test blueprint that completes <c>steps</c> echo calls, registering an undo for each, then calls math_add, which
/// the test histories fail: so the compensations' order and error handling can be replayed.
/// </summary>
[Workflow("compensationProbeWorkflow")]
public sealed class CompensationProbeWorkflow : BlueprintWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(int steps)
    {
        RequireSecurityContext();
        return await RunWithCompensationsAsync(async () =>
        {
            for (var i = 1; i <= steps; i++)
            {
                var step = i;
                await ExecuteByIdAsync("golden.echo", new { x = $"do-{step}" });
                AddCompensation($"undo {step}", () => ExecuteByIdAsync("golden.echo", new { x = $"undo-{step}" }));
            }

            await ExecuteByIdAsync("golden.math_add", new { a = 1, b = 2 });
            return "done";
        });
    }
}
