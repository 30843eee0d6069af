using System.Text.Json;
using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog;

/// <summary>A blueprint: a deterministic workflow composed of capability calls, started as its own workflow type.</summary>
public sealed class BlueprintDefinition
{
    /// <summary>The stable id, also the MCP tool name, for example <c>workflows.math_pipeline</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The Temporal workflow type that runs it.</summary>
    public required string WorkflowType { get; init; }

    /// <summary>Semantic version of the blueprint's contract.</summary>
    public required string Version { get; init; }

    /// <summary>A short human title.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, for an agent choosing a tool.</summary>
    public required string Description { get; init; }

    /// <summary>Search tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Who answers for it.</summary>
    public required string Maintainer { get; init; }

    /// <summary>Schema of the workflow's one argument.</summary>
    public required SchemaDocument InputSchema { get; init; }

    /// <summary>Schema of the workflow's result.</summary>
    public required SchemaDocument OutputSchema { get; init; }

    /// <summary>Roles the caller must all hold.</summary>
    public IReadOnlyList<string> RequiredRoles { get; init; } = [];

    /// <summary>The highest classification among what it touches; RESTRICTED needs approval.</summary>
    public required DataClassification DataClassification { get; init; }

    /// <summary>The capabilities it calls.</summary>
    public required IReadOnlyList<string> CapabilityIds { get; init; }

    /// <summary>Whether it only reads.</summary>
    public bool IsReadOnly { get; init; }

    /// <summary>An example input, valid against <see cref="InputSchema"/>.</summary>
    public required JsonElement ExampleInput { get; init; }
}
