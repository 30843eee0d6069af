using System.Text.Json;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary>Small helpers for writing catalog entries as JSON text.</summary>
internal static class CatalogJson
{
    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static string Text(JsonElement value) => value.GetRawText();

    public static string? OptionalString(JsonElement? value, string name) =>
        value is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    public static string RequiredString(JsonElement value, string name) =>
        value.GetProperty(name).GetString() ?? throw new ArgumentException($"'{name}' must be a string.", nameof(value));

    public static int IntOrDefault(JsonElement value, string name, int fallback) =>
        value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number ? property.GetInt32() : fallback;

    public static bool BoolOrDefault(JsonElement value, string name, bool fallback) =>
        value.TryGetProperty(name, out var property) && property.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? property.GetBoolean() : fallback;
}
