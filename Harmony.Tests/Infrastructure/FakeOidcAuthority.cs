using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Harmony.Tests.Infrastructure;

/// <summary>
/// A local OIDC authority shaped like a Keycloak realm: a discovery document and a JWKS with a key made by the
/// test, so the server validates tokens exactly as it would against Keycloak, and tests can mint any token.
/// </summary>
public sealed class FakeOidcAuthority : IAsyncDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private WebApplication? _app;

    private FakeOidcAuthority()
    {
        _key = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
    }

    /// <summary>The realm URL, which is also the token issuer: <c>http://127.0.0.1:port/realms/harmony</c>.</summary>
    public string Authority { get; private set; } = string.Empty;

    public static async Task<FakeOidcAuthority> StartAsync()
    {
        var authority = new FakeOidcAuthority();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/realms/harmony/.well-known/openid-configuration", () => Results.Text(new JsonObject
        {
            ["issuer"] = authority.Authority,
            ["jwks_uri"] = authority.Authority + "/protocol/openid-connect/certs",
            ["token_endpoint"] = authority.Authority + "/protocol/openid-connect/token",
            ["authorization_endpoint"] = authority.Authority + "/protocol/openid-connect/auth",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }.ToJsonString(), "application/json"));
        app.MapGet("/realms/harmony/protocol/openid-connect/certs", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(authority._key);
            return Results.Text(new JsonObject
            {
                ["keys"] = new JsonArray(new JsonObject
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E,
                }),
            }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        authority.Authority = address.TrimEnd('/') + "/realms/harmony";
        authority._app = app;
        return authority;
    }

    /// <summary>A Keycloak-style access token; every part can be overridden to make it wrong.</summary>
    public string IssueToken(
        string username,
        IEnumerable<string> realmRoles,
        string audience = "harmony-mcp",
        string? issuer = null,
        TimeSpan? lifetime = null,
        IEnumerable<string>? clientRoles = null,
        string rolesClient = "harmony-mcp")
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        var claims = new Dictionary<string, object>
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["preferred_username"] = username,
            ["azp"] = "harmony-agent",
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = realmRoles.ToArray() },
        };
        if (clientRoles is not null)
        {
            claims["resource_access"] = new Dictionary<string, object>
            {
                [rolesClient] = new Dictionary<string, object> { ["roles"] = clientRoles.ToArray() },
                ["account"] = new Dictionary<string, object> { ["roles"] = new[] { "manage-account", "view-profile" } },
            };
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _rsa.Dispose();
    }
}
