using Harmony.Core.Catalog;
using Harmony.Core.Contexts;
using ModelContextProtocol.Protocol;

namespace Harmony.Mcp.Tools;

/// <summary>One catalog entry as an MCP tool: what <c>tools/list</c> shows and what <c>tools/call</c> checks.</summary>
public sealed record ToolEntry(
    Tool Tool,
    SchemaDocument ArgumentsSchema,
    IReadOnlyList<string> RequiredRoles,
    DataClassification Classification,
    CapabilityDefinition? Capability,
    BlueprintDefinition? Blueprint)
{
    public string Name => Tool.Name;

    public bool IsAllowedFor(IReadOnlyList<string> roles) => RequiredRoles.All(roles.Contains);

    public IReadOnlyList<string> MissingRoles(IReadOnlyList<string> roles) => [.. RequiredRoles.Where(r => !roles.Contains(r))];
}
