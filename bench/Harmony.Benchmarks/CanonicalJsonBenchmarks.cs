using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Harmony.Core.Catalog;
using Harmony.Core.Envelopes;

namespace Harmony.Bench;

/// <summary>RFC 8785 canonical JSON of envelope payloads and of a catalog schema (a nested document).</summary>
[MemoryDiagnoser]
public class CanonicalJsonBenchmarks
{
    private JsonElement _value;

    [Params("small payload", "large payload", "verified_release schema")]
    public string Document { get; set; } = "small payload";

    [GlobalSetup]
    public void Setup()
    {
        _value = Document switch
        {
            "small payload" => BenchmarkPayloads.ToElement(BenchmarkPayloads.Small()),
            "large payload" => BenchmarkPayloads.ToElement(BenchmarkPayloads.Large()),
            _ => BuiltInCatalog.Default.Blueprints.Single(b => b.Id == "workflows.verified_release").InputSchema.Json,
        };
    }

    [Benchmark]
    public byte[] Serialize() => CanonicalJson.Serialize(_value);
}
