using System.Text.Json.Serialization;

namespace Harmony.Core.Contexts;

/// <summary>Who started the work: the initiator, their roles and a reference to their token (never the token).</summary>
/// <param name="InitiatorId">The caller's identity, for example a Keycloak subject or <c>mcp:anonymous</c>.</param>
/// <param name="Roles">The caller's roles, checked against capability scopes and blueprint roles.</param>
/// <param name="TokenRef">A reference to the caller's token in the secret store; empty when there is none.</param>
/// <param name="TraceId">The W3C trace id of the call that started the work.</param>
public sealed record SecurityContext(
    [property: JsonPropertyName("initiatorId")] string InitiatorId,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("tokenRef")] string TokenRef,
    [property: JsonPropertyName("traceId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null);
