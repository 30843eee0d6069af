using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Catalog;
using Harmony.Core.Errors;
using ModelContextProtocol.Protocol;

namespace Harmony.Mcp.Tools;

/// <summary>The catalog as MCP tools, built once: schemas, annotations and the checks each tool needs.</summary>
public sealed class ToolDirectory
{
    private readonly FrozenDictionary<string, ToolEntry> _entries;

    public ToolDirectory(HarmonyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Entries =
        [
            .. catalog.Capabilities.Select(FromCapability),
            .. catalog.Blueprints.Select(b => FromBlueprint(b, catalog)),
        ];
        _entries = Entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ToolEntry> Entries { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ToolEntry? entry) =>
        _entries.TryGetValue(name, out entry);

    private static ToolEntry FromCapability(CapabilityDefinition capability)
    {
        var arguments = CapabilityArgumentsSchema(capability);
        var tool = new Tool
        {
            Name = capability.Id,
            Title = capability.Name,
            Description = capability.Description,
            InputSchema = arguments,
            OutputSchema = AnswerSchema(capability.OutputSchema.Json),
            Annotations = new ToolAnnotations
            {
                Title = capability.Name,
                ReadOnlyHint = capability.Operations.IsReadOnly,
                DestructiveHint = capability.IsDestructive,
                IdempotentHint = capability.Operations.IsIdempotent,
                OpenWorldHint = capability.Security.AllowedOutboundHosts.Count > 0,
            },
        };
        return new ToolEntry(
            tool,
            SchemaDocument.Parse($"mcp/{capability.Id}/arguments", arguments.GetRawText()),
            capability.Security.RequiredScopes,
            capability.Security.DataClassification,
            capability,
            null);
    }

    private static ToolEntry FromBlueprint(BlueprintDefinition blueprint, HarmonyCatalog catalog)
    {
        // A blueprint reaches the outside world exactly when one of its capabilities may.
        var openWorld = blueprint.CapabilityIds.Any(id =>
            catalog.TryGetCapability(id, out var capability) && capability.Security.AllowedOutboundHosts.Count > 0);
        var tool = new Tool
        {
            Name = blueprint.Id,
            Title = blueprint.Name,
            Description = blueprint.Description + " Starts a workflow and answers with its handle at once.",
            InputSchema = blueprint.InputSchema.Json,

            // Blueprints always start: the answer is the workflow handle, not the blueprint's own output.
            OutputSchema = AnswerSchema(null),
            Annotations = new ToolAnnotations
            {
                Title = blueprint.Name,
                ReadOnlyHint = blueprint.IsReadOnly,
                DestructiveHint = blueprint.DataClassification == Harmony.Core.Contexts.DataClassification.Restricted
                    || !blueprint.IsReadOnly,
                IdempotentHint = false,
                OpenWorldHint = openWorld,
            },
        };
        return new ToolEntry(tool, blueprint.InputSchema, blueprint.RequiredRoles, blueprint.DataClassification, null, blueprint);
    }

    /// <summary>The capability's input schema with the optional <c>config</c> and <c>secretRefs</c> arguments added.</summary>
    private static JsonElement CapabilityArgumentsSchema(CapabilityDefinition capability)
    {
        var schema = JsonNode.Parse(capability.InputSchema.Json.GetRawText())!.AsObject();
        if (capability.ConfigSchema is null && capability.SecretsSchema is null)
        {
            return capability.InputSchema.Json;
        }

        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        var required = schema["required"] as JsonArray ?? [];
        schema["required"] = required;
        if (capability.ConfigSchema is { } config)
        {
            properties[ToolArguments.Config] = Embedded(config.Json, "Configuration of the capability.");
        }

        if (capability.SecretsSchema is { } secrets)
        {
            properties[ToolArguments.SecretRefs] = Embedded(
                secrets.Json,
                "Secret references by name: a value starting with '/' is an OpenBao KV v2 path (optionally '#key'), read by "
                + "the worker, so the secret never enters the workflow. Any other value is used as the secret itself and "
                + "travels in the workflow's input and history: use paths for real secrets.");
            if (secrets.Json.TryGetProperty("required", out var names) && names.GetArrayLength() > 0)
            {
                required.Add(ToolArguments.SecretRefs);
            }
        }

        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>
    /// The schema of an answer's structured content. Clients that validate check error answers too, so it describes
    /// both shapes: success <c>{ result, trace_id, meta? }</c> and failure <c>{ error, tool?, trace_id, details?,
    /// hint?, meta? }</c>.
    /// </summary>
    private static JsonElement AnswerSchema(JsonElement? capabilityOutput)
    {
        var handle = JsonNode.Parse("""
            {
              "type": "object",
              "description": "The workflow, when the answer is its handle rather than its result.",
              "properties": {
                "workflowId": { "type": "string" },
                "runId": { "type": "string" },
                "statusUrl": { "type": "string" },
                "status": { "type": "string" }
              },
              "required": ["workflowId", "runId", "statusUrl"]
            }
            """)!;
        JsonNode result = capabilityOutput is { } output
            ? new JsonObject { ["anyOf"] = new JsonArray(Embedded(output, null), handle) }
            : handle;
        var schema = JsonNode.Parse("""
            {
              "type": "object",
              "properties": {
                "trace_id": { "type": "string" },
                "meta": {
                  "type": "object",
                  "description": "The workflow that was started, with where Temporal's UI shows it.",
                  "properties": {
                    "workflowId": { "type": "string" },
                    "runId": { "type": "string" },
                    "statusUrl": { "type": "string" }
                  }
                },
                "tool": { "type": "string" },
                "details": {
                  "type": "object",
                  "description": "What failed, for example every validation error with its path."
                },
                "hint": { "type": "string", "description": "What to do about the failure." }
              },
              "required": ["trace_id"],
              "oneOf": [
                { "required": ["result"] },
                { "required": ["error"] }
              ]
            }
            """)!.AsObject();
        var properties = schema["properties"]!.AsObject();
        properties["result"] = result;
        properties["error"] = new JsonObject
        {
            ["description"] = "Set, with isError, when the call failed.",
            ["enum"] = new JsonArray([.. ToolErrorCodes.All.Select(code => JsonValue.Create(code))]),
        };
        return JsonSerializer.SerializeToElement(schema);
    }

    // A schema placed inside another must not repeat $schema: in 2020-12 that keyword belongs to a resource's root.
    private static JsonObject Embedded(JsonElement schema, string? description)
    {
        var node = JsonNode.Parse(schema.GetRawText())!.AsObject();
        node.Remove("$schema");
        if (description is not null && !node.ContainsKey("description"))
        {
            node["description"] = description;
        }

        return node;
    }
}
