using System.Text;
using System.Text.Json;
using Temporalio.Common;

namespace Harmony.Tests.AppHost;

/// <summary>A workflow history as text to search for leaks.</summary>
internal static class WorkflowHistoryText
{
    /// <summary>
    /// The history's JSON followed by every payload's data decoded: the JSON carries payloads (inputs, results, memo,
    /// failures) as base64, where a plain text search would never find a leaked secret.
    /// </summary>
    public static string Readable(WorkflowHistory history)
    {
        var json = history.ToJson();
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder(json);
        foreach (var data in PayloadData(document.RootElement))
        {
            var bytes = new byte[data.Length];
            if (Convert.TryFromBase64String(data, bytes, out var written))
            {
                text.Append('\n').Append(Encoding.UTF8.GetString(bytes, 0, written));
            }
        }

        return text.ToString();
    }

    private static IEnumerable<string> PayloadData(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "data" && p.Value.ValueKind == JsonValueKind.String
                ? [p.Value.GetString()!]
                : PayloadData(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PayloadData),
        _ => [],
    };
}
