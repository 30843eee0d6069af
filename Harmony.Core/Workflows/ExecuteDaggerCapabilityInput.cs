using System.Text.Json;
using System.Text.Json.Serialization;
using Harmony.Core.Contexts;

namespace Harmony.Core.Workflows;

/// <summary>The one argument of the <see cref="WorkflowNames.ExecuteDaggerCapabilityActivity"/> activity.</summary>
/// <param name="CapId">The capability to run.</param>
/// <param name="Input">The capability's input.</param>
/// <param name="Config">The capability's configuration, if any.</param>
/// <param name="SecretRefs">Secret references by name; resolved by the worker at execution time, never values.</param>
/// <param name="RunAs">The initiator on whose behalf the container runs.</param>
/// <param name="TraceId">The trace id of the call that started the work.</param>
/// <param name="Ctx">The golden context; the activity refuses to run without it.</param>
public sealed record ExecuteDaggerCapabilityInput(
    [property: JsonPropertyName("capId")] string CapId,
    [property: JsonPropertyName("input")] JsonElement Input,
    [property: JsonPropertyName("config"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Config,
    [property: JsonPropertyName("secretRefs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? SecretRefs,
    [property: JsonPropertyName("runAs")] string RunAs,
    [property: JsonPropertyName("traceId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId,
    [property: JsonPropertyName("ctx")] GoldenContext? Ctx);
