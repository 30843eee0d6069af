using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Harmony.Core.Envelopes;
using Harmony.Mcp.Configuration;
using Harmony.Mcp.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harmony.Bench;

/// <summary>
/// Signed envelope checks: the verifier alone, and the server's whole identity step (finding the envelope in the
/// request's params, verifying it, building the caller), for a valid and a tampered envelope.
/// </summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private const string Secret = "bench-envelope-secret";

    private readonly EnvelopeVerifier _verifier = new(Secret);
    private JsonElement _valid;
    private JsonElement _tampered;
    private JsonObject _validParams = [];
    private CallerResolver _resolver = null!;

    [Params("small", "large")]
    public string Payload { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        var payload = Payload == "large" ? BenchmarkPayloads.Large() : BenchmarkPayloads.Small();
        var signature = _verifier.Sign(BenchmarkPayloads.ToElement(payload));
        var envelope = new JsonObject { ["alg"] = EnvelopeVerifier.Algorithm, ["payload"] = payload, ["sig"] = signature };
        _valid = BenchmarkPayloads.ToElement(envelope);

        // Same signature, one field changed: every check passes until the signature comparison.
        var tampered = envelope.DeepClone().AsObject();
        tampered["payload"]!["initiatorId"] = "user:mallory@example.com";
        _tampered = BenchmarkPayloads.ToElement(tampered);

        _validParams = new JsonObject
        {
            ["name"] = "golden.math_add",
            ["arguments"] = new JsonObject { ["a"] = 1, ["b"] = 2 },
            ["_meta"] = new JsonObject { ["golden"] = envelope.DeepClone() },
        };

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MCP_ENVELOPE_HMAC_SECRET"] = Secret })
            .Build();
        _resolver = new CallerResolver(McpServerSettingsReader.Read(configuration), NullLogger<CallerResolver>.Instance);
        Check(_verifier.Verify(_valid).IsValid, "the valid envelope must verify");
        Check(_verifier.Verify(_tampered).ErrorCode == EnvelopeErrorCodes.SignatureMismatch, "the tampered envelope must mismatch");
        Check(_resolver.Resolve(_validParams, null).Identity is not null, "the resolver must accept the valid envelope");
    }

    [Benchmark(Baseline = true)]
    public EnvelopeVerification VerifyValid() => _verifier.Verify(_valid);

    [Benchmark]
    public EnvelopeVerification VerifyTampered() => _verifier.Verify(_tampered);

    [Benchmark]
    public string Sign() => _verifier.Sign(_valid.GetProperty("payload"));

    /// <summary>What the server does per call: find <c>_meta.golden</c> in the params, verify it, build the caller.</summary>
    [Benchmark]
    public CallerResolution ResolveCallerFromParams() => _resolver.Resolve(_validParams, null);

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Benchmark setup is wrong: " + what + ".");
        }
    }
}
