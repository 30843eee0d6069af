using Harmony.Core.Contexts;

namespace Harmony.Mcp.Configuration;

/// <summary>The MCP server's knobs, read once at start from environment variables or .NET configuration.</summary>
public sealed record McpServerSettings
{
    public string? TemporalAddress { get; init; }

    public required string TemporalNamespace { get; init; }

    public required string TaskQueue { get; init; }

    public required string TemporalUiUrl { get; init; }

    public required string InitiatorId { get; init; }

    public required IReadOnlyList<string> Roles { get; init; }

    public required string TokenRef { get; init; }

    public required string AppId { get; init; }

    public required string Environment { get; init; }

    public string? CostCenter { get; init; }

    public DataClassification? DataClassification { get; init; }

    /// <summary>The envelope secret, trimmed; null when envelopes are not checked.</summary>
    public string? EnvelopeSecret { get; init; }

    public bool RequireEnvelope { get; init; }

    public CapabilityBehavior CapabilityBehavior { get; init; }

    public TimeSpan AwaitTimeout { get; init; }

    /// <summary>How recently a worker must have polled to count as running.</summary>
    public TimeSpan WorkerPollFreshness { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>OIDC authority (a Keycloak realm URL); null runs <c>/mcp</c> without authentication.</summary>
    public string? AuthAuthority { get; init; }

    public string? AuthAudience { get; init; }

    /// <summary>Whether the authority may be reached over plain HTTP (local Keycloak).</summary>
    public bool AuthRequireHttpsMetadata { get; init; }

    /// <summary>
    /// Whether Streamable HTTP runs without sessions, so that any replica can answer any request; stdio ignores it.
    /// </summary>
    public bool HttpStateless { get; init; } = true;
}
