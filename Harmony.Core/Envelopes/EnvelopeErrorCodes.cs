namespace Harmony.Core.Envelopes;

/// <summary>Why a signed call envelope was refused, in order of precedence: the first failing check wins.</summary>
public static class EnvelopeErrorCodes
{
    /// <summary>The envelope is not a JSON object.</summary>
    public const string Invalid = "ENVELOPE_INVALID";

    /// <summary><c>alg</c> is not exactly <c>HMAC-SHA256</c>.</summary>
    public const string UnsupportedAlgorithm = "ENVELOPE_UNSUPPORTED_ALG";

    /// <summary>The payload is not an object, or one of its known fields has a value of the wrong kind.</summary>
    public const string InvalidPayload = "ENVELOPE_INVALID_PAYLOAD";

    /// <summary><c>sig</c> is missing, empty or not a string.</summary>
    public const string InvalidSignature = "ENVELOPE_INVALID_SIGNATURE";

    /// <summary><c>initiatorId</c> is not a non-blank string.</summary>
    public const string InvalidInitiator = "ENVELOPE_INVALID_INITIATOR";

    /// <summary><c>roles</c> is not an array of strings.</summary>
    public const string InvalidRoles = "ENVELOPE_INVALID_ROLES";

    /// <summary>The signature does not match the payload under the configured secret.</summary>
    public const string SignatureMismatch = "ENVELOPE_SIGNATURE_MISMATCH";

    /// <summary>The server requires an envelope and the call has none.</summary>
    public const string Required = "ENVELOPE_REQUIRED";
}
