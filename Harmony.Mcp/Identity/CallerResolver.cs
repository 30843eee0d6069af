using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Envelopes;
using Harmony.Mcp.Configuration;

namespace Harmony.Mcp.Identity;

/// <summary>
/// Settles who a call is from: the configured defaults, overridden by a bearer token's claims, overridden by a
/// verified signed envelope. Envelopes are read from <c>_meta.golden</c>, or <c>meta.golden</c> as the TypeScript
/// clients send it.
/// </summary>
public sealed partial class CallerResolver(McpServerSettings settings, ILogger<CallerResolver> logger)
{
    private readonly EnvelopeVerifier? _verifier = settings.EnvelopeSecret is { } secret ? new EnvelopeVerifier(secret) : null;
    private int _unverifiedEnvelopeLogged;

    public CallerResolution Resolve(JsonNode? rawParams, ClaimsPrincipal? user)
    {
        var traceId = CurrentTraceId();
        var envelope = FindEnvelope(rawParams);

        EnvelopePayload? verified = null;
        if (_verifier is null)
        {
            if (envelope is not null && Interlocked.Exchange(ref _unverifiedEnvelopeLogged, 1) == 0)
            {
                LogEnvelopesNotChecked(logger);
            }
        }
        else if (envelope is { } present)
        {
            var verification = _verifier.Verify(present);
            if (!verification.IsValid)
            {
                LogEnvelopeRefused(logger, verification.ErrorCode!);
                return new CallerResolution(null, traceId, verification.ErrorCode, verification.Message);
            }

            verified = verification.Payload!;
        }
        else if (settings.RequireEnvelope)
        {
            return new CallerResolution(
                null, traceId, EnvelopeErrorCodes.Required, "This server requires a signed envelope in _meta.golden.");
        }

        var identity = DefaultIdentity();
        if (user?.Identity?.IsAuthenticated == true)
        {
            identity = identity with
            {
                InitiatorId = KeycloakClaims.InitiatorId(user) ?? identity.InitiatorId,
                Roles = KeycloakClaims.Roles(user, settings.AuthAudience),
            };
        }

        if (verified is not null)
        {
            identity = identity with
            {
                InitiatorId = verified.InitiatorId,
                Roles = verified.Roles,
                TokenRef = verified.TokenRef ?? identity.TokenRef,
                AppId = verified.AppId ?? identity.AppId,
                Environment = verified.Environment ?? identity.Environment,
                CostCenter = verified.CostCenter ?? identity.CostCenter,
                DataClassification = verified.DataClassification ?? identity.DataClassification,
            };
            if (!string.IsNullOrWhiteSpace(verified.TraceId))
            {
                traceId = verified.TraceId;
            }
        }

        return new CallerResolution(identity, traceId, null, null);
    }

    /// <summary>The trace id of the current W3C trace, or a fresh one when no trace is active.</summary>
    public static string CurrentTraceId() =>
        Activity.Current is { } activity ? activity.TraceId.ToHexString() : ActivityTraceId.CreateRandom().ToHexString();

    private CallerIdentity DefaultIdentity() => new(
        settings.InitiatorId,
        settings.Roles,
        settings.TokenRef,
        settings.AppId,
        settings.Environment,
        settings.CostCenter,
        settings.DataClassification);

    private static JsonElement? FindEnvelope(JsonNode? rawParams)
    {
        if (rawParams is not JsonObject parameters)
        {
            return null;
        }

        foreach (var metaName in (ReadOnlySpan<string>)["_meta", "meta"])
        {
            if (parameters[metaName] is JsonObject meta && meta.TryGetPropertyValue("golden", out var golden))
            {
                var element = golden is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(golden);
                if (EnvelopeVerifier.IsPresent(element))
                {
                    return element;
                }
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A call carried a signed envelope, but MCP_ENVELOPE_HMAC_SECRET is not set: envelopes are not checked and their identity is ignored")]
    private static partial void LogEnvelopesNotChecked(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a call's signed envelope: {EnvelopeError}")]
    private static partial void LogEnvelopeRefused(ILogger logger, string envelopeError);
}
