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
        RequireSecurityContext();
        var call = RequireArgument(input);
        if (string.IsNullOrWhiteSpace(call.CapId))
        {
            throw InvalidArgument("The workflow argument has no capId.");
        }

        if (call.Args.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw InvalidArgument($"The workflow argument has no args for capability '{call.CapId}'.");
        }

        return await ExecuteByIdAsync(call.CapId, call.Args, call.Config, call.SecretRefs);
    }
}
