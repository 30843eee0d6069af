using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Harmony.Core.Catalog;
using Harmony.Mcp.Tools;

namespace Harmony.Bench;

/// <summary>
/// Argument validation against the schemas the server really checks (the tool directory's, JsonSchema.Net 2020-12),
/// for the small <c>golden.math_add</c> and the larger <c>workflows.verified_release</c>.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private static readonly Dictionary<string, (string Valid, string Invalid)> Arguments = new(StringComparer.Ordinal)
    {
        ["golden.math_add"] = ("""{"a":2,"b":3}""", """{"a":"two","c":3}"""),
        ["workflows.verified_release"] = (
            """
            {"owner":"acme","repo":"shop","tag":"v1.4.0","releaseName":"Shop 1.4.0","notes":"Fixes the checkout.",
             "healthUrl":"http://shop.shop.svc.cluster.local:8080/health","expectedStatus":200,
             "githubTokenRef":"/github/release-bot"}
            """,
            // Five errors: a bad pattern, a missing property, a number out of range, a wrong type, an extra property.
            """
            {"owner":"acme corp","repo":"shop","releaseName":42,"healthUrl":"https://example.com/health",
             "expectedStatus":42,"githubTokenRef":"/github/release-bot","force":true}
            """),
    };

    private SchemaDocument _schema = null!;
    private JsonElement _valid;
    private JsonElement _invalid;

    [Params("golden.math_add", "workflows.verified_release")]
    public string Tool { get; set; } = "golden.math_add";

    [GlobalSetup]
    public void Setup()
    {
        if (!new ToolDirectory(BuiltInCatalog.Default).TryGet(Tool, out var entry))
        {
            throw new InvalidOperationException($"Tool '{Tool}' is not in the catalog.");
        }

        _schema = entry.ArgumentsSchema;
        var (valid, invalid) = Arguments[Tool];
        _valid = JsonDocument.Parse(valid).RootElement.Clone();
        _invalid = JsonDocument.Parse(invalid).RootElement.Clone();
        if (_schema.Validate(_valid).Count != 0 || _schema.Validate(_invalid).Count == 0)
        {
            throw new InvalidOperationException($"Benchmark setup is wrong: the arguments of {Tool} do not validate as intended.");
        }
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<SchemaError> Valid() => _schema.Validate(_valid);

    [Benchmark]
    public IReadOnlyList<SchemaError> Invalid() => _schema.Validate(_invalid);
}
