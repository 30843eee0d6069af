using System.Text.Json.Serialization;

namespace Harmony.Core.Contexts;

/// <summary>Why and where the work runs: application, environment, initiator, trace and cost attribution.</summary>
/// <param name="AppId">The application on whose behalf the work runs.</param>
/// <param name="Environment">The environment, for example <c>local</c> or <c>prod</c>.</param>
/// <param name="InitiatorId">The caller's identity, the same as <see cref="SecurityContext.InitiatorId"/>.</param>
/// <param name="TraceId">The W3C trace id of the call that started the work.</param>
/// <param name="CostCenter">Where the cost of the work is booked, if known.</param>
/// <param name="DataClassification">The classification of the data the caller works with, if known.</param>
public sealed record GoldenContext(
    [property: JsonPropertyName("app_id")] string AppId,
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("initiator_id")] string InitiatorId,
    [property: JsonPropertyName("trace_id")] string TraceId,
    [property: JsonPropertyName("cost_center"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CostCenter = null,
    [property: JsonPropertyName("data_classification"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    DataClassification? DataClassification = null);
