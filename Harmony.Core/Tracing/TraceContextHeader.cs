using System.Diagnostics;
using System.Text.Json;

namespace Harmony.Core.Tracing;

/// <summary>
/// The W3C trace context as it travels in Temporal headers, so that one trace runs from <c>tools/call</c> through the
/// workflow to the capability's container. The key and the value are those of Temporal's own OpenTelemetry
/// interceptors (.NET and TypeScript): under <see cref="Key"/>, a JSON object of the propagation fields,
/// <c>{"traceparent": "...", "tracestate": "..."}</c>, in a <c>json/plain</c> payload. So a span context sent by
/// their clients or workflows is understood here, and ours there.
/// </summary>
public static class TraceContextHeader
{
    /// <summary>The Temporal header key.</summary>
    public const string Key = "_tracer-data";

    /// <summary>The W3C <c>traceparent</c> field: version, trace id, parent span id and flags.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C <c>tracestate</c> field: vendor state, sent only when there is some.</summary>
    public const string TraceState = "tracestate";

    /// <summary>
    /// The propagation fields for a span, or null when there is no span or its ids are not in W3C format
    /// (a process that switched to the hierarchical format has no trace id to share).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? CarrierFor(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return null;
        }

        var flags = activity.ActivityTraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        var carrier = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [TraceParent] = $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{flags}",
        };
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            carrier[TraceState] = activity.TraceStateString;
        }

        return carrier;
    }

    /// <summary>
    /// Reads a header value (the UTF-8 JSON of a <c>json/plain</c> payload) as a remote span context. False for
    /// anything else: not JSON, not an object, no string <c>traceparent</c>, or one that is not valid W3C.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8Json, out ActivityContext context)
    {
        context = default;
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(TraceParent, out var parent)
                || parent.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var state = root.TryGetProperty(TraceState, out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
            return ActivityContext.TryParse(parent.GetString(), state, isRemote: true, out context);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
