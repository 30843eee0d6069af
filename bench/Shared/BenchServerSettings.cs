using Harmony.Core.Catalog;

namespace Harmony.Bench;

/// <summary>
/// The server configuration every benchmark uses: no Temporal, so a call that passes every check answers
/// NOT_CONFIGURED without touching the network, and a caller holding every role, so tools/list shows the whole catalog.
/// </summary>
internal static class BenchServerSettings
{
    public static string AllRoles { get; } = string.Join(
        ',',
        BuiltInCatalog.Default.Capabilities.SelectMany(c => c.Security.RequiredScopes)
            .Concat(BuiltInCatalog.Default.Blueprints.SelectMany(b => b.RequiredRoles))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));

    public static Dictionary<string, string?> Create() => new(StringComparer.Ordinal)
    {
        ["TEMPORAL_ADDRESS"] = string.Empty,
        ["MCP_ROLES"] = AllRoles,
        ["MCP_INITIATOR_ID"] = "bench:load",
    };
}
