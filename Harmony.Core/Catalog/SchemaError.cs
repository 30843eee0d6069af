using System.Text.Json.Serialization;

namespace Harmony.Core.Catalog;

/// <summary>One way an instance fails its schema.</summary>
/// <param name="Path">JSON Pointer to the offending value; empty for the whole instance.</param>
/// <param name="Keyword">The schema keyword that failed, for example <c>required</c> or <c>type</c>.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record SchemaError(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("keyword")] string Keyword,
    [property: JsonPropertyName("message")] string Message);
