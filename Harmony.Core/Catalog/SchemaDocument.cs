using System.Text.Json;
using Json.Schema;

namespace Harmony.Core.Catalog;

/// <summary>A JSON Schema (2020-12) kept both as its JSON text, for publishing, and compiled, for validation.</summary>
public sealed class SchemaDocument
{
    private static readonly EvaluationOptions ListOutput = new() { OutputFormat = OutputFormat.List };

    private readonly JsonSchema _schema;

    private SchemaDocument(JsonElement json, JsonSchema schema)
    {
        Json = json;
        _schema = schema;
    }

    /// <summary>The schema as JSON, as published in <c>tools/list</c>.</summary>
    public JsonElement Json { get; }

    /// <summary>Parses and compiles a schema; <paramref name="id"/> names it uniquely among Harmony's schemas.</summary>
    public static SchemaDocument Parse(string id, string json)
    {
        var element = JsonDocument.Parse(json).RootElement.Clone();

        // Each schema gets its own registry so two capabilities can't collide on a base URI.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var schema = JsonSchema.Build(element, options, new Uri($"https://harmony.invalid/schemas/{id}"));
        return new SchemaDocument(element, schema);
    }

    /// <summary>Validates an instance and returns every error with its JSON Pointer path; empty when valid.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance)
    {
        var results = _schema.Evaluate(instance, ListOutput);
        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<SchemaError>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                errors.Add(Describe(detail.InstanceLocation.ToString(), detail.EvaluationPath.ToString(), keyword, message));
            }
        }

        if (errors.Count == 0 && results.Errors is { } rootErrors)
        {
            errors.AddRange(rootErrors.Select(e => new SchemaError(results.InstanceLocation.ToString(), e.Key, e.Value)));
        }

        return errors;
    }

    // A `false` subschema reports no keyword of its own; the keyword that holds it (additionalProperties,
    // unevaluatedProperties, items…) is the last step of the evaluation path, and says more to the caller.
    private static SchemaError Describe(string path, string evaluationPath, string keyword, string message)
    {
        if (keyword.Length > 0)
        {
            return new SchemaError(path, keyword, message);
        }

        var holder = evaluationPath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "false";
        var name = path.Split('/').LastOrDefault();
        return holder is "additionalProperties" or "unevaluatedProperties"
            ? new SchemaError(path, holder, $"Property '{name}' is not allowed here")
            : new SchemaError(path, holder, message);
    }
}
