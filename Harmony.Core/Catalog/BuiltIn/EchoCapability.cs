using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.echo</c>: returns its input <c>x</c> as <c>y</c>; the smallest end-to-end check of the path.</summary>
internal static class EchoCapability
{
    public const string Id = "golden.echo";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "Echo",
        Description = "Returns the value it is given: {x} becomes {y: x}. Use it to check that MCP, Temporal, the worker and Dagger are connected.",
        Tags = ["demo", "diagnostics"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "x": { "description": "Any JSON value to echo back." } },
              "required": ["x"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "y": { "description": "The value given as x." } },
              "required": ["y"]
            }
            """),
        Security = new CapabilitySecurity([], DataClassification.Public, []),
        Operations = new CapabilityOperations(
            IsReadOnly: true, IsIdempotent: true, CapabilityRetryPolicy.Default, TimeSpan.FromMinutes(1), CostFactor: 1),
        ExampleInput = CatalogJson.Parse("""{"x":"hello"}"""),
        ExampleOutput = CatalogJson.Parse("""{"y":"hello"}"""),
        BuildContainer = request => new ContainerSpec
        {
            Image = ContainerImages.Alpine,

            // The value travels as JSON text in the environment, so no shell quoting can change it.
            Environment = new Dictionary<string, string> { ["HARMONY_X"] = CatalogJson.Text(request.Input.GetProperty("x")) },
            Args = ["sh", "-c", """printf '{"y":%s}' "$HARMONY_X" """],
        },
    };
}
