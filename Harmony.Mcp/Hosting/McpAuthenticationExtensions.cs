using Harmony.Mcp.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using ModelContextProtocol.AspNetCore.Authentication;

namespace Harmony.Mcp.Hosting;

/// <summary>Bearer-token protection of <c>/mcp</c> by an OIDC authority such as a Keycloak realm.</summary>
public static partial class McpAuthenticationExtensions
{
    /// <summary>
    /// With <c>Harmony:Auth:Authority</c> set, validates bearer tokens against it (issuer, audience, lifetime, keys
    /// from its discovery document) and publishes OAuth protected resource metadata (RFC 9728) so MCP clients can
    /// find the authority. Returns whether authentication is on.
    /// </summary>
    public static bool AddHarmonyAuthentication(this WebApplicationBuilder builder, McpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.AuthAuthority is not { } authority)
        {
            return false;
        }

        builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultAuthenticateScheme = JwtBearerDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
            })
            .AddJwtBearer(options =>
            {
                options.Authority = authority;
                options.Audience = settings.AuthAudience;
                options.RequireHttpsMetadata = settings.AuthRequireHttpsMetadata;

                // Keep Keycloak's claim names (sub, preferred_username, realm_access) as they are in the token.
                options.MapInboundClaims = false;
                options.TokenValidationParameters.ValidateIssuer = true;
                options.TokenValidationParameters.ValidateAudience = true;
                options.TokenValidationParameters.ValidateLifetime = true;
                options.TokenValidationParameters.NameClaimType = "preferred_username";
            })
            .AddMcp(options =>
            {
                options.ResourceMetadata = new()
                {
                    Resource = builder.Configuration["Harmony:Auth:Resource"],
                    AuthorizationServers = [authority],
                    BearerMethodsSupported = ["header"],
                    ScopesSupported = ["openid", "profile"],
                    ResourceName = "Harmony MCP server",
                };
            });
        builder.Services.AddAuthorization();
        return true;
    }

    /// <summary>Logs whether <c>/mcp</c> is protected; an open server is worth a warning.</summary>
    public static void ReportAuthentication(this WebApplication app, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Harmony.Mcp.Authentication");
        if (enabled)
        {
            LogProtected(logger, app.Configuration["Harmony:Auth:Authority"]);
        }
        else
        {
            LogOpen(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "/mcp requires bearer tokens from {Authority}")]
    private static partial void LogProtected(ILogger logger, string? authority);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Harmony:Auth:Authority is not set: /mcp is open to anyone who can reach it, and calls run as the default identity")]
    private static partial void LogOpen(ILogger logger);
}
