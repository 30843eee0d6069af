using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.math_add</c>: adds two numbers inside a container.</summary>
internal static class MathAddCapability
{
    public const string Id = "golden.math_add";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "Add two numbers",
        Description = "Adds a and b in a container and returns {sum}. A demo of a pure, idempotent capability.",
        Tags = ["demo", "math"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "a": { "type": "number", "description": "First addend." },
                "b": { "type": "number", "description": "Second addend." }
              },
              "required": ["a", "b"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "sum": { "type": "number", "description": "a + b." } },
              "required": ["sum"]
            }
            """),
        Security = new CapabilitySecurity([], DataClassification.Public, []),
        Operations = new CapabilityOperations(
            IsReadOnly: true, IsIdempotent: true, CapabilityRetryPolicy.Default, TimeSpan.FromMinutes(1), CostFactor: 1),
        ExampleInput = CatalogJson.Parse("""{"a":2,"b":3}"""),
        ExampleOutput = CatalogJson.Parse("""{"sum":5}"""),
        BuildContainer = request => new ContainerSpec
        {
            Image = ContainerImages.Alpine,
            Environment = new Dictionary<string, string>
            {
                ["HARMONY_A"] = CatalogJson.Text(request.Input.GetProperty("a")),
                ["HARMONY_B"] = CatalogJson.Text(request.Input.GetProperty("b")),
            },

            // %.17g keeps every significant digit of a double, so the sum survives the trip through text.
            Args = ["awk", """BEGIN { printf "{\"sum\":%.17g}", ENVIRON["HARMONY_A"] + ENVIRON["HARMONY_B"] }"""],
        },
    };
}
