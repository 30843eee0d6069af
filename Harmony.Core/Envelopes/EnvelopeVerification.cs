namespace Harmony.Core.Envelopes;

/// <summary>The outcome of checking a signed call envelope: a verified payload, or the first check that failed.</summary>
public sealed class EnvelopeVerification
{
    private EnvelopeVerification(EnvelopePayload? payload, string? errorCode, string? message)
    {
        Payload = payload;
        ErrorCode = errorCode;
        Message = message;
    }

    /// <summary>The verified payload; null when verification failed.</summary>
    public EnvelopePayload? Payload { get; }

    /// <summary>One of <see cref="EnvelopeErrorCodes"/> when verification failed.</summary>
    public string? ErrorCode { get; }

    /// <summary>A sentence for the caller saying what is wrong.</summary>
    public string? Message { get; }

    /// <summary>Whether the envelope was verified.</summary>
    public bool IsValid => Payload is not null;

    /// <summary>A verified envelope.</summary>
    public static EnvelopeVerification Valid(EnvelopePayload payload) => new(payload, null, null);

    /// <summary>A refused envelope.</summary>
    public static EnvelopeVerification Invalid(string errorCode, string message) => new(null, errorCode, message);
}
