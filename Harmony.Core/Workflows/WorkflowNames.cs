namespace Harmony.Core.Workflows;

/// <summary>Workflow and activity type names on the wire; workers and clients of other languages use the same.</summary>
public static class WorkflowNames
{
    /// <summary>The workflow that runs one capability.</summary>
    public const string ExecuteCapability = "executeCapabilityWorkflow";

    /// <summary>The activity that runs a capability's container in the Dagger engine.</summary>
    public const string ExecuteDaggerCapabilityActivity = "executeDaggerCapability";

    /// <summary>The workflow ID for one call of a tool: <c>&lt;toolId&gt;-&lt;uuid&gt;</c>.</summary>
    public static string NewWorkflowId(string toolId) => $"{toolId}-{Guid.NewGuid():D}";
}
