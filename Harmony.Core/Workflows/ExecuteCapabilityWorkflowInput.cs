using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harmony.Core.Workflows;

/// <summary>The one argument of <see cref="WorkflowNames.ExecuteCapability"/>.</summary>
/// <param name="CapId">The capability to run.</param>
/// <param name="Args">The capability's input, as the caller gave it.</param>
/// <param name="Config">The capability's configuration, if any.</param>
/// <param name="SecretRefs">Secret references by name: a value starting with <c>/</c> is an OpenBao KV v2 path.</param>
public sealed record ExecuteCapabilityWorkflowInput(
    [property: JsonPropertyName("capId")] string CapId,
    [property: JsonPropertyName("args")] JsonElement Args,
    [property: JsonPropertyName("config"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Config = null,
    [property: JsonPropertyName("secretRefs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string>? SecretRefs = null);
