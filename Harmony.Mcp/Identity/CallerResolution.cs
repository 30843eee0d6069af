namespace Harmony.Mcp.Identity;

/// <summary>The identity a call runs as and its trace id, or why the call has no acceptable identity.</summary>
public sealed record CallerResolution(CallerIdentity? Identity, string TraceId, string? EnvelopeError, string? EnvelopeErrorMessage)
{
    public bool IsAuthorized => Identity is not null;
}
