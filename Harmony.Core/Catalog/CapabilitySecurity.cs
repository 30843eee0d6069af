using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog;

/// <summary>Who may run a capability, how sensitive it is and where its container may connect.</summary>
/// <param name="RequiredScopes">Roles the caller must all hold.</param>
/// <param name="DataClassification">The classification of what it touches; RESTRICTED needs approval.</param>
/// <param name="AllowedOutboundHosts">Host names (or <c>*.</c> patterns) its container may reach; the egress allowlist.</param>
public sealed record CapabilitySecurity(
    IReadOnlyList<string> RequiredScopes,
    DataClassification DataClassification,
    IReadOnlyList<string> AllowedOutboundHosts);
