using System.Text.Json.Serialization;

namespace Harmony.Mcp.Runners;

/// <summary>A started workflow as the caller can follow it: its ids and where the Temporal UI shows it.</summary>
public sealed record WorkflowHandleInfo(
    [property: JsonPropertyName("workflowId")] string WorkflowId,
    [property: JsonPropertyName("runId")] string RunId,
    [property: JsonPropertyName("statusUrl")] string StatusUrl)
{
    /// <summary>
    /// <c>&lt;ui&gt;/namespaces/&lt;ns&gt;/workflows/&lt;workflowId&gt;/&lt;runId&gt;</c>, each part escaped so ids with
    /// slashes or spaces still name the right workflow.
    /// </summary>
    public static WorkflowHandleInfo Create(string uiUrl, string temporalNamespace, string workflowId, string runId) => new(
        workflowId,
        runId,
        $"{uiUrl.TrimEnd('/')}/namespaces/{Uri.EscapeDataString(temporalNamespace)}/workflows/{Uri.EscapeDataString(workflowId)}/{Uri.EscapeDataString(runId)}");
}
