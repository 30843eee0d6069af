using Harmony.Core.Contexts;

namespace Harmony.Mcp.Identity;

/// <summary>Who makes a call, as the server settled it: defaults, then a bearer token, then a verified envelope.</summary>
public sealed record CallerIdentity(
    string InitiatorId,
    IReadOnlyList<string> Roles,
    string TokenRef,
    string AppId,
    string Environment,
    string? CostCenter,
    DataClassification? DataClassification)
{
    public SecurityContext ToSecurityContext(string traceId) => new(InitiatorId, Roles, TokenRef, traceId);

    public GoldenContext ToGoldenContext(string traceId) =>
        new(AppId, Environment, InitiatorId, traceId, CostCenter, DataClassification);
}
