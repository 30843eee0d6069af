using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Contexts;
using Harmony.Core.Envelopes;

namespace Harmony.Tests.Core;

/// <summary>Every envelope check, and which one wins when several fail.</summary>
public sealed class EnvelopeVerifierTests
{
    private const string Secret = "test-envelope-secret";
    private static readonly EnvelopeVerifier Verifier = new(Secret);

    [Theory]
    [InlineData("[1]", EnvelopeErrorCodes.Invalid)]
    [InlineData("\"x\"", EnvelopeErrorCodes.Invalid)]
    [InlineData("""{"payload":{"initiatorId":"a","roles":[]},"sig":"s"}""", EnvelopeErrorCodes.UnsupportedAlgorithm)]
    [InlineData("""{"alg":"hmac-sha256","payload":{"initiatorId":"a","roles":[]},"sig":"s"}""", EnvelopeErrorCodes.UnsupportedAlgorithm)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":[],"sig":"s"}""", EnvelopeErrorCodes.InvalidPayload)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[],"appId":7},"sig":"s"}""", EnvelopeErrorCodes.InvalidPayload)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[],"dataClassification":"SECRET"},"sig":"s"}""", EnvelopeErrorCodes.InvalidPayload)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[],"traceId":null},"sig":"s"}""", EnvelopeErrorCodes.InvalidPayload)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[]}}""", EnvelopeErrorCodes.InvalidSignature)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[]},"sig":""}""", EnvelopeErrorCodes.InvalidSignature)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[]},"sig":5}""", EnvelopeErrorCodes.InvalidSignature)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"  ","roles":[]},"sig":"s"}""", EnvelopeErrorCodes.InvalidInitiator)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"roles":[]},"sig":"s"}""", EnvelopeErrorCodes.InvalidInitiator)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":"admin"},"sig":"s"}""", EnvelopeErrorCodes.InvalidRoles)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":["x",1]},"sig":"s"}""", EnvelopeErrorCodes.InvalidRoles)]
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"a","roles":[]},"sig":"s"}""", EnvelopeErrorCodes.SignatureMismatch)]
    // Precedence: an invalid payload field is reported before a missing signature and a blank initiator.
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"","roles":5,"costCenter":1}}""", EnvelopeErrorCodes.InvalidPayload)]
    // Precedence: a missing signature is reported before a blank initiator and bad roles.
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"","roles":5}}""", EnvelopeErrorCodes.InvalidSignature)]
    // Precedence: a blank initiator is reported before bad roles.
    [InlineData("""{"alg":"HMAC-SHA256","payload":{"initiatorId":"","roles":5},"sig":"s"}""", EnvelopeErrorCodes.InvalidInitiator)]
    // Precedence: the algorithm is checked before the payload.
    [InlineData("""{"alg":"x","payload":5}""", EnvelopeErrorCodes.UnsupportedAlgorithm)]
    public void Verify_FirstFailingCheck_Decides(string envelope, string expectedCode)
    {
        var result = Verifier.Verify(JsonDocument.Parse(envelope).RootElement);

        Assert.False(result.IsValid);
        Assert.Equal(expectedCode, result.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    [Fact]
    public void Verify_SignedPayload_ReturnsEveryFieldAndIgnoresExtraEnvelopeFields()
    {
        var payload = JsonSerializer.SerializeToElement(new JsonObject
        {
            ["initiatorId"] = "agent:x",
            ["roles"] = new JsonArray("r1", "r2"),
            ["tokenRef"] = "/tokens/x",
            ["appId"] = "shop",
            ["environment"] = "prod",
            ["costCenter"] = "cc",
            ["dataClassification"] = "RESTRICTED",
            ["traceId"] = "t-1",
            ["exp"] = 1767225600,
        });
        var envelope = new JsonObject
        {
            ["alg"] = "HMAC-SHA256",
            ["payload"] = JsonNode.Parse(payload.GetRawText()),
            ["sig"] = Verifier.Sign(payload),
            ["kid"] = "ignored",
        };

        var result = Verifier.Verify(JsonSerializer.SerializeToElement(envelope));

        Assert.True(result.IsValid);
        var expected = new EnvelopePayload("agent:x", [], "/tokens/x", "shop", "prod", "cc", DataClassification.Restricted, "t-1");
        Assert.Equal(expected with { Roles = result.Payload!.Roles }, result.Payload);
        Assert.Equal(["r1", "r2"], result.Payload.Roles);
    }

    [Theory]
    [InlineData("padding")]
    [InlineData("standard-alphabet")]
    [InlineData("one-char-changed")]
    public void Verify_SignatureInAnotherEncoding_IsAMismatch(string variant)
    {
        var payload = JsonDocument.Parse("""{"initiatorId":"a","roles":[],"x":"???>>>"}""").RootElement;
        var signature = Verifier.Sign(payload);
        var altered = variant switch
        {
            "padding" => signature + "=",
            "standard-alphabet" => signature.Replace('-', '+').Replace('_', '/'),
            _ => (signature[0] == 'A' ? 'B' : 'A') + signature[1..],
        };
        Assert.NotEqual(signature, altered);
        var envelope = new JsonObject
        {
            ["alg"] = "HMAC-SHA256",
            ["payload"] = JsonNode.Parse(payload.GetRawText()),
            ["sig"] = altered,
        };

        var result = Verifier.Verify(JsonSerializer.SerializeToElement(envelope));

        Assert.Equal(EnvelopeErrorCodes.SignatureMismatch, result.ErrorCode);
    }

    [Fact]
    public void Verify_SecretWithSurroundingWhitespace_IsTrimmed()
    {
        var payload = JsonDocument.Parse("""{"initiatorId":"a","roles":[]}""").RootElement;
        var envelope = new JsonObject
        {
            ["alg"] = "HMAC-SHA256",
            ["payload"] = JsonNode.Parse(payload.GetRawText()),
            ["sig"] = Verifier.Sign(payload),
        };

        Assert.True(new EnvelopeVerifier($"\t{Secret} \n").Verify(JsonSerializer.SerializeToElement(envelope)).IsValid);
    }

    [Theory]
    [InlineData("null", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("\"\"", false)]
    [InlineData("{}", true)]
    [InlineData("\"x\"", true)]
    [InlineData("true", true)]
    public void IsPresent_FalsyValues_CountAsNoEnvelope(string json, bool present) =>
        Assert.Equal(present, EnvelopeVerifier.IsPresent(JsonDocument.Parse(json).RootElement));
}
