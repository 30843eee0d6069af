using System.Security.Claims;
using System.Text.Json;

namespace Harmony.Mcp.Identity;

/// <summary>Reads the caller and roles out of a Keycloak access token's claims.</summary>
public static class KeycloakClaims
{
    /// <summary>The token's user name, else its subject.</summary>
    public static string? InitiatorId(ClaimsPrincipal user) =>
        user.FindFirst("preferred_username")?.Value
        ?? user.FindFirst("sub")?.Value
        ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    /// <summary>
    /// Realm roles (<c>realm_access.roles</c>) and this server's client roles (<c>resource_access.&lt;client&gt;.roles</c>
    /// for <paramref name="clientId"/>, the token audience Harmony is configured with), without duplicates. Keycloak
    /// writes both as JSON objects inside the token, which arrive here as JSON-valued claims.
    /// </summary>
    /// <remarks>
    /// Other clients' roles are left out: whoever administers another client can give it a role of any name, and a
    /// role named <c>harmony:deploy</c> on that client must not open Harmony's tools.
    /// </remarks>
    public static IReadOnlyList<string> Roles(ClaimsPrincipal user, string? clientId)
    {
        var roles = new List<string>();
        foreach (var claim in user.FindAll("realm_access"))
        {
            AddRoles(claim.Value, roles);
        }

        foreach (var claim in user.FindAll("resource_access"))
        {
            if (clientId is not null && TryParseObject(claim.Value, out var clients)
                && clients.TryGetProperty(clientId, out var client))
            {
                AddRoles(client.GetRawText(), roles);
            }
        }

        return [.. roles.Distinct(StringComparer.Ordinal)];
    }

    private static void AddRoles(string json, List<string> roles)
    {
        if (TryParseObject(json, out var access)
            && access.TryGetProperty("roles", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            roles.AddRange(list.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!));
        }
    }

    private static bool TryParseObject(string json, out JsonElement value)
    {
        try
        {
            value = JsonDocument.Parse(json).RootElement;
            return value.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }
}
