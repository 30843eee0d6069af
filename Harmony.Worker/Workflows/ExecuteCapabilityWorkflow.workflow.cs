using System.Text.Json;
using Harmony.Core.Workflows;
using Temporalio.Workflows;

namespace Harmony.Worker.Workflows;

/// <summary>Runs one capability on behalf of the caller in the memo and returns its output.</summary>
[Workflow(WorkflowNames.ExecuteCapability)]
public sealed class ExecuteCapabilityWorkflow : BlueprintWorkflow
{
    [WorkflowRun]
    public async Task<JsonElement> RunAsync(ExecuteCapabilityWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireSecurityContext();
        return await ExecuteByIdAsync(input.CapId, input.Args, input.Config, input.SecretRefs);
    }
}
