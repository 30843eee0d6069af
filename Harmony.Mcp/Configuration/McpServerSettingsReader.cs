using System.Globalization;
using Harmony.Core.Configuration;
using Harmony.Core.Contexts;
using Harmony.Core.Workflows;

namespace Harmony.Mcp.Configuration;

/// <summary>
/// Reads <see cref="McpServerSettings"/> from configuration keys named like the environment variables
/// (<c>TEMPORAL_ADDRESS</c>, <c>MCP_ROLES</c>, …), so an environment variable and an appsettings entry work alike.
/// A value that can't be right stops the server at start with a message naming the knob.
/// </summary>
public static class McpServerSettingsReader
{
    public static McpServerSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();

        var secret = NullIfBlank(configuration["MCP_ENVELOPE_HMAC_SECRET"])?.Trim();
        var requireEnvelope = ReadBool(configuration, "MCP_REQUIRE_ENVELOPE", errors);
        if (requireEnvelope && secret is null)
        {
            errors.Add("MCP_REQUIRE_ENVELOPE is true but MCP_ENVELOPE_HMAC_SECRET is not set: set the secret, or stop requiring envelopes.");
        }

        DataClassification? classification = null;
        if (NullIfBlank(configuration["MCP_DATA_CLASSIFICATION"]) is { } classificationText)
        {
            if (DataClassifications.TryParse(classificationText.Trim(), out var parsed))
            {
                classification = parsed;
            }
            else
            {
                errors.Add($"MCP_DATA_CLASSIFICATION '{classificationText}' is not one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED.");
            }
        }

        var behavior = CapabilityBehavior.Await;
        switch (NullIfBlank(configuration["MCP_CAPABILITY_BEHAVIOR"])?.Trim().ToLowerInvariant())
        {
            case null or "await":
                break;
            case "start":
                behavior = CapabilityBehavior.Start;
                break;
            case var other:
                errors.Add($"MCP_CAPABILITY_BEHAVIOR '{other}' is not 'await' or 'start'.");
                break;
        }

        var awaitTimeout = TimeSpan.FromMilliseconds(5000);
        if (NullIfBlank(configuration["MCP_CAPABILITY_AWAIT_TIMEOUT_MS"]) is { } timeoutText)
        {
            if (int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
            {
                awaitTimeout = TimeSpan.FromMilliseconds(milliseconds);
            }
            else
            {
                errors.Add($"MCP_CAPABILITY_AWAIT_TIMEOUT_MS '{timeoutText}' is not a positive whole number of milliseconds.");
            }
        }

        // Temporal's client takes host:port and adds the scheme itself; a URL here fails every call, so say it now.
        if (NullIfBlank(configuration["TEMPORAL_ADDRESS"]) is { } addressText
            && addressText.Contains("://", StringComparison.Ordinal))
        {
            errors.Add($"TEMPORAL_ADDRESS '{addressText}' is a URL; give host:port, for example localhost:7233.");
        }

        var authority = NullIfBlank(configuration["Harmony:Auth:Authority"]);
        var audience = NullIfBlank(configuration["Harmony:Auth:Audience"]);
        if (authority is not null && audience is null)
        {
            errors.Add("Harmony:Auth:Authority is set but Harmony:Auth:Audience is not: tokens would be accepted for any audience.");
        }

        var allowHttpMetadata = ReadBool(configuration, "Harmony:Auth:AllowHttpMetadata", errors);

        // Harmony's server keeps nothing in a session that a request does not carry itself, so stateless is the
        // default; false keeps per-client sessions in this process, for clients that insist on Mcp-Session-Id.
        var httpStateless = ReadBool(configuration, "MCP_HTTP_STATELESS", errors, defaultValue: true);

        if (errors.Count > 0)
        {
            throw new InvalidConfigurationException("The MCP server's configuration is invalid:" + System.Environment.NewLine
                + string.Join(System.Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        return new McpServerSettings
        {
            // An address set to an empty value means "no Temporal": calls answer NOT_CONFIGURED.
            TemporalAddress = configuration["TEMPORAL_ADDRESS"] is { } address ? NullIfBlank(address) : TemporalDefaults.Address,
            TemporalNamespace = NullIfBlank(configuration["TEMPORAL_NAMESPACE"]) ?? TemporalDefaults.Namespace,
            TaskQueue = NullIfBlank(configuration["TEMPORAL_TASK_QUEUE"]) ?? TemporalDefaults.TaskQueue,
            TemporalUiUrl = NullIfBlank(configuration["TEMPORAL_UI_URL"]) ?? TemporalDefaults.UiUrl,
            InitiatorId = NullIfBlank(configuration["MCP_INITIATOR_ID"]) ?? "mcp:anonymous",
            Roles = ReadRoles(configuration),
            TokenRef = configuration["MCP_TOKEN_REF"] ?? string.Empty,
            AppId = NullIfBlank(configuration["MCP_APP_ID"]) ?? "golden-mcp-server",
            Environment = NullIfBlank(configuration["MCP_ENVIRONMENT"]) ?? "local",
            CostCenter = NullIfBlank(configuration["MCP_COST_CENTER"]),
            DataClassification = classification,
            EnvelopeSecret = secret,
            RequireEnvelope = requireEnvelope,
            CapabilityBehavior = behavior,
            AwaitTimeout = awaitTimeout,
            AuthAuthority = authority,
            AuthAudience = audience,
            AuthRequireHttpsMetadata = !allowHttpMetadata,
            HttpStateless = httpStateless,
        };
    }

    // Comma-separated as an environment variable; appsettings.json may also give a JSON array, which configuration
    // sees as the children MCP_ROLES:0, MCP_ROLES:1, ….
    private static string[] ReadRoles(IConfiguration configuration)
    {
        var values = configuration["MCP_ROLES"] is { } text
            ? [text]
            : configuration.GetSection("MCP_ROLES").GetChildren().Select(child => child.Value ?? string.Empty);
        return
        [
            .. values
                .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.Ordinal),
        ];
    }

    private static bool ReadBool(IConfiguration configuration, string key, List<string> errors, bool defaultValue = false)
    {
        var text = NullIfBlank(configuration[key])?.Trim();
        if (text is null)
        {
            return defaultValue;
        }

        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        errors.Add($"{key} '{text}' is not true or false.");
        return defaultValue;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
