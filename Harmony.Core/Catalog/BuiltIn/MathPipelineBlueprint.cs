using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>workflows.math_pipeline</c>: (a + b) + c through two math_add calls and an echo, with a Markdown table.</summary>
public static class MathPipelineBlueprint
{
    /// <summary>The blueprint id and MCP tool name.</summary>
    public const string Id = "workflows.math_pipeline";

    /// <summary>The Temporal workflow type.</summary>
    public const string WorkflowType = "mathPipelineWorkflow";

    internal static BlueprintDefinition Create() => new()
    {
        Id = Id,
        WorkflowType = WorkflowType,
        Version = "1.0.0",
        Name = "Math pipeline",
        Description = "Computes (a + b) + c with two golden.math_add calls, echoes the result through golden.echo, and "
            + "returns {y, table_markdown}. A demo of a blueprint composed of capabilities.",
        Tags = ["demo", "math", "blueprint"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "a": { "type": "number" }, "b": { "type": "number" }, "c": { "type": "number" } },
              "required": ["a", "b", "c"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "y": { "type": "number", "description": "(a + b) + c" },
                "table_markdown": { "type": "string", "description": "Each step and its result as a Markdown table." }
              },
              "required": ["y", "table_markdown"]
            }
            """),
        DataClassification = DataClassification.Public,
        CapabilityIds = [MathAddCapability.Id, EchoCapability.Id],
        IsReadOnly = true,
        ExampleInput = CatalogJson.Parse("""{"a":1,"b":2,"c":3}"""),
    };
}
