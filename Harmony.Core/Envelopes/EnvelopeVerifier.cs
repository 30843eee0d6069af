using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harmony.Core.Contexts;

namespace Harmony.Core.Envelopes;

/// <summary>
/// Checks signed call envelopes, <c>{ "alg": "HMAC-SHA256", "payload": {…}, "sig": "…" }</c>, where <c>sig</c> is the
/// unpadded base64url HMAC-SHA256 of the payload's RFC 8785 canonical JSON under a shared secret.
/// </summary>
public sealed class EnvelopeVerifier
{
    /// <summary>The only algorithm accepted.</summary>
    public const string Algorithm = "HMAC-SHA256";

    private readonly byte[] _key;

    /// <summary>Creates a verifier for a secret; surrounding whitespace of the secret is ignored.</summary>
    public EnvelopeVerifier(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        _key = Encoding.UTF8.GetBytes(secret.Trim());
    }

    /// <summary>
    /// Whether an envelope value counts as present: JSON <c>null</c>, <c>false</c>, <c>0</c> and <c>""</c> count as
    /// no envelope, as they do for the TypeScript clients.
    /// </summary>
    public static bool IsPresent(JsonElement? envelope) => envelope is { } value && value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        _ => true,
    };

    /// <summary>Computes the signature of a payload: what a client puts in <c>sig</c>.</summary>
    public string Sign(JsonElement payload) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, CanonicalJson.Serialize(payload)));

    /// <summary>Checks an envelope; the first failing check decides the error.</summary>
    public EnvelopeVerification Verify(JsonElement envelope)
    {
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            return Fail(EnvelopeErrorCodes.Invalid, "The envelope must be a JSON object with alg, payload and sig.");
        }

        if (!envelope.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String
            || alg.GetString() != Algorithm)
        {
            return Fail(EnvelopeErrorCodes.UnsupportedAlgorithm, $"The envelope's alg must be exactly \"{Algorithm}\".");
        }

        if (!envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            return Fail(EnvelopeErrorCodes.InvalidPayload, "The envelope's payload must be a JSON object.");
        }

        if (FindInvalidOptionalField(payload) is { } invalidField)
        {
            return Fail(EnvelopeErrorCodes.InvalidPayload, invalidField);
        }

        if (!envelope.TryGetProperty("sig", out var sig) || sig.ValueKind != JsonValueKind.String
            || sig.GetString()!.Length == 0)
        {
            return Fail(EnvelopeErrorCodes.InvalidSignature, "The envelope's sig must be a non-empty string.");
        }

        if (!payload.TryGetProperty("initiatorId", out var initiator) || initiator.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(initiator.GetString()))
        {
            return Fail(EnvelopeErrorCodes.InvalidInitiator, "The payload's initiatorId must be a non-blank string.");
        }

        if (!payload.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array
            || roles.EnumerateArray().Any(role => role.ValueKind != JsonValueKind.String))
        {
            return Fail(EnvelopeErrorCodes.InvalidRoles, "The payload's roles must be an array of strings.");
        }

        if (!SignatureMatches(payload, sig.GetString()!))
        {
            return Fail(EnvelopeErrorCodes.SignatureMismatch, "The envelope's signature does not match its payload.");
        }

        return EnvelopeVerification.Valid(ReadPayload(payload, initiator.GetString()!, roles));
    }

    private bool SignatureMatches(JsonElement payload, string signature)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        byte[] canonical;
        try
        {
            canonical = CanonicalJson.Serialize(payload);
        }
        catch (InvalidOperationException)
        {
            // A key with a lone surrogate can't be read here; such a payload can't have been signed over the same text.
            return false;
        }

        HMACSHA256.HashData(_key, canonical, hash);
        Span<byte> expected = stackalloc byte[Base64Url.GetEncodedLength(hash.Length)];
        Base64Url.EncodeToUtf8(hash, expected);

        // Byte for byte, in constant time: padding or the standard base64 alphabet is a mismatch, not a variant.
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(signature));
    }

    private static string? FindInvalidOptionalField(JsonElement payload)
    {
        foreach (var name in (ReadOnlySpan<string>)["tokenRef", "appId", "environment", "costCenter", "traceId"])
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"The payload's {name} must be a string when present.";
            }
        }

        if (payload.TryGetProperty("dataClassification", out var classification)
            && (classification.ValueKind != JsonValueKind.String
                || !DataClassifications.TryParse(classification.GetString(), out _)))
        {
            return "The payload's dataClassification must be one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED.";
        }

        return null;
    }

    private static EnvelopePayload ReadPayload(JsonElement payload, string initiatorId, JsonElement roles)
    {
        DataClassification? classification = null;
        if (payload.TryGetProperty("dataClassification", out var value)
            && DataClassifications.TryParse(value.GetString(), out var parsed))
        {
            classification = parsed;
        }

        return new EnvelopePayload(
            initiatorId,
            [.. roles.EnumerateArray().Select(role => role.GetString()!)],
            OptionalString(payload, "tokenRef"),
            OptionalString(payload, "appId"),
            OptionalString(payload, "environment"),
            OptionalString(payload, "costCenter"),
            classification,
            OptionalString(payload, "traceId"));
    }

    private static string? OptionalString(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static EnvelopeVerification Fail(string code, string message) => EnvelopeVerification.Invalid(code, message);
}
