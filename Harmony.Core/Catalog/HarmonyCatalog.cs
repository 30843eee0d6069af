using System.Collections.Frozen;

namespace Harmony.Core.Catalog;

/// <summary>The capabilities and blueprints Harmony offers, by id.</summary>
public sealed class HarmonyCatalog
{
    private readonly FrozenDictionary<string, CapabilityDefinition> _capabilities;
    private readonly FrozenDictionary<string, BlueprintDefinition> _blueprints;

    /// <summary>Creates a catalog; ids must be unique across capabilities and blueprints.</summary>
    public HarmonyCatalog(IEnumerable<CapabilityDefinition> capabilities, IEnumerable<BlueprintDefinition> blueprints)
    {
        Capabilities = [.. capabilities];
        Blueprints = [.. blueprints];
        var duplicate = Capabilities.Select(c => c.Id).Concat(Blueprints.Select(b => b.Id))
            .GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Catalog id '{duplicate.Key}' is used more than once.", nameof(capabilities));
        }

        foreach (var blueprint in Blueprints)
        {
            var missing = blueprint.CapabilityIds.FirstOrDefault(id => !Capabilities.Any(c => c.Id == id));
            if (missing is not null)
            {
                throw new ArgumentException($"Blueprint '{blueprint.Id}' calls unknown capability '{missing}'.", nameof(blueprints));
            }
        }

        _capabilities = Capabilities.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        _blueprints = Blueprints.ToFrozenDictionary(b => b.Id, StringComparer.Ordinal);
    }

    /// <summary>The capabilities, in catalog order.</summary>
    public IReadOnlyList<CapabilityDefinition> Capabilities { get; }

    /// <summary>The blueprints, in catalog order.</summary>
    public IReadOnlyList<BlueprintDefinition> Blueprints { get; }

    /// <summary>Finds a capability by id.</summary>
    public bool TryGetCapability(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CapabilityDefinition? capability) =>
        _capabilities.TryGetValue(id, out capability);

    /// <summary>Finds a blueprint by id.</summary>
    public bool TryGetBlueprint(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BlueprintDefinition? blueprint) =>
        _blueprints.TryGetValue(id, out blueprint);

    /// <summary>Every host any capability may reach, sorted and without duplicates: the egress allowlist.</summary>
    public IReadOnlyList<string> OutboundHosts() =>
        [.. Capabilities.SelectMany(c => c.Security.AllowedOutboundHosts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
