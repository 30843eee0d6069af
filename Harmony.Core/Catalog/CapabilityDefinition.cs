using System.Text.Json;
using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog;

/// <summary>
/// A capability: a unit of platform work described as data (schemas, security, operations) plus a pure factory
/// that turns a validated call into the container the worker runs in the Dagger engine.
/// </summary>
public sealed class CapabilityDefinition
{
    /// <summary>The stable id, also the MCP tool name, for example <c>golden.echo</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Semantic version of the capability's contract.</summary>
    public required string Version { get; init; }

    /// <summary>A short human title.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, for an agent choosing a tool.</summary>
    public required string Description { get; init; }

    /// <summary>Search tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Who answers for it.</summary>
    public required string Maintainer { get; init; }

    /// <summary>Schema of the input.</summary>
    public required SchemaDocument InputSchema { get; init; }

    /// <summary>Schema of the output the container prints on stdout.</summary>
    public required SchemaDocument OutputSchema { get; init; }

    /// <summary>Schema of the configuration, if the capability takes any.</summary>
    public SchemaDocument? ConfigSchema { get; init; }

    /// <summary>Schema of the secret references (names to references), if the capability takes any.</summary>
    public SchemaDocument? SecretsSchema { get; init; }

    /// <summary>Who may run it and where it may connect.</summary>
    public required CapabilitySecurity Security { get; init; }

    /// <summary>How it behaves when run.</summary>
    public required CapabilityOperations Operations { get; init; }

    /// <summary>An example input, valid against <see cref="InputSchema"/>.</summary>
    public required JsonElement ExampleInput { get; init; }

    /// <summary>The output for <see cref="ExampleInput"/>, valid against <see cref="OutputSchema"/>.</summary>
    public required JsonElement ExampleOutput { get; init; }

    /// <summary>Builds the container for one call; pure: no I/O, no clock, no randomness.</summary>
    public required Func<ContainerRequest, ContainerSpec> BuildContainer { get; init; }

    /// <summary>Whether the capability changes something that can't simply be changed back.</summary>
    public bool IsDestructive => Security.DataClassification == DataClassification.Restricted
        || (!Operations.IsReadOnly && !Operations.IsIdempotent);
}
