using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Mcp.Runners;
using ModelContextProtocol.Protocol;

namespace Harmony.Mcp.Tools;

/// <summary>
/// Builds <c>tools/call</c> results. Both shapes carry <c>trace_id</c>, and the text content is the same JSON as the
/// structured content, for clients that read only text.
/// </summary>
public static class ToolAnswers
{
    // Agents read the text content: keep quotes and non-ASCII readable instead of \u-escaped.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CallToolResult Success(JsonNode? result, string traceId, WorkflowHandleInfo? meta)
    {
        var content = new JsonObject
        {
            ["result"] = result,
            ["trace_id"] = traceId,
        };
        if (meta is not null)
        {
            content["meta"] = Meta(meta);
        }

        return Build(content, isError: false);
    }

    public static CallToolResult Failure(
        string error,
        string traceId,
        string? tool = null,
        JsonNode? details = null,
        string? hint = null,
        WorkflowHandleInfo? meta = null)
    {
        var content = new JsonObject { ["error"] = error };
        if (tool is not null)
        {
            content["tool"] = tool;
        }

        content["trace_id"] = traceId;
        if (details is not null)
        {
            content["details"] = details;
        }

        if (hint is not null)
        {
            content["hint"] = hint;
        }

        if (meta is not null)
        {
            content["meta"] = Meta(meta);
        }

        return Build(content, isError: true);
    }

    public static JsonObject Meta(WorkflowHandleInfo handle) => new()
    {
        ["workflowId"] = handle.WorkflowId,
        ["runId"] = handle.RunId,
        ["statusUrl"] = handle.StatusUrl,
    };

    private static CallToolResult Build(JsonObject content, bool isError)
    {
        var text = content.ToJsonString(Readable);
        return new CallToolResult
        {
            IsError = isError,
            StructuredContent = JsonDocument.Parse(text).RootElement.Clone(),
            Content = [new TextContentBlock { Text = text }],
        };
    }
}
