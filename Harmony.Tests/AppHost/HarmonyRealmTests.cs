using System.Text.Json;
using Harmony.Core.Catalog;

namespace Harmony.Tests.AppHost;

/// <summary>The <c>harmony</c> realm: the clients, roles, audience mapper and dev users the MCP server and agents rely on.</summary>
public sealed class HarmonyRealmTests
{
    [Fact]
    public void Realm_File_IsTheHarmonyRealm()
    {
        var realm = HarmonyRealm.Load();

        Assert.Equal("harmony", realm.GetProperty("realm").GetString());
        Assert.True(realm.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public void RealmRoles_Catalog_CoverEveryScopeAndRoleTheCatalogRequires()
    {
        var required = BuiltInCatalog.Default.Capabilities.SelectMany(c => c.Security.RequiredScopes)
            .Concat(BuiltInCatalog.Default.Blueprints.SelectMany(b => b.RequiredRoles))
            .ToHashSet();

        Assert.NotEmpty(required);
        Assert.Superset(required, HarmonyRealm.RealmRoles().ToHashSet());
    }

    [Fact]
    public void RealmRoles_File_IncludeEveryHarmonyRoleAndApprover()
    {
        Assert.Superset(
            new HashSet<string>
            {
                "harmony:probe", "harmony:github", "harmony:deploy", "harmony:data-read", "harmony:release", "harmony:approver",
            },
            HarmonyRealm.RealmRoles().ToHashSet());
    }

    [Fact]
    public void McpClient_Realm_IsBearerOnlyAudience()
    {
        var client = HarmonyRealm.Client("harmony-mcp");

        Assert.True(client.GetProperty("bearerOnly").GetBoolean());
        Assert.False(client.GetProperty("publicClient").GetBoolean());
        Assert.False(client.GetProperty("standardFlowEnabled").GetBoolean());
        Assert.False(client.GetProperty("directAccessGrantsEnabled").GetBoolean());
    }

    [Fact]
    public void AgentClient_Realm_IsConfidentialWithClientCredentialsAndPlaceholderSecret()
    {
        var client = HarmonyRealm.Client("harmony-agent");

        Assert.False(client.GetProperty("publicClient").GetBoolean());
        Assert.True(client.GetProperty("serviceAccountsEnabled").GetBoolean());
        Assert.False(client.GetProperty("standardFlowEnabled").GetBoolean());
        Assert.Equal("${HARMONY_AGENT_CLIENT_SECRET}", client.GetProperty("secret").GetString());
    }

    [Fact]
    public void AgentServiceAccount_Realm_HasHarmonyRoles()
    {
        var account = HarmonyRealm.User("service-account-harmony-agent");

        Assert.Equal("harmony-agent", account.GetProperty("serviceAccountClientId").GetString());
        Assert.Contains("harmony:probe", HarmonyRealm.RolesOf(account));
        Assert.All(HarmonyRealm.RolesOf(account), role => Assert.Contains(role, HarmonyRealm.RealmRoles()));
    }

    [Fact]
    public void InteractiveClient_Realm_IsPublicWithPkceAndLocalRedirects()
    {
        var client = HarmonyRealm.Client("harmony-mcp-client");

        Assert.True(client.GetProperty("publicClient").GetBoolean());
        Assert.True(client.GetProperty("standardFlowEnabled").GetBoolean());
        Assert.False(client.GetProperty("implicitFlowEnabled").GetBoolean());
        Assert.Equal("S256", client.GetProperty("attributes").GetProperty("pkce.code.challenge.method").GetString());
        var redirects = client.GetProperty("redirectUris").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains("http://localhost:*", redirects);
        Assert.Contains("http://127.0.0.1:*", redirects);
    }

    [Theory]
    [InlineData("harmony-agent")]
    [InlineData("harmony-mcp-client")]
    public void TokenClient_Realm_PutsMcpAudienceInAccessTokens(string clientId)
    {
        var mapper = HarmonyRealm.Client(clientId).GetProperty("protocolMappers").EnumerateArray()
            .Single(m => m.GetProperty("protocolMapper").GetString() == "oidc-audience-mapper");
        var config = mapper.GetProperty("config");

        Assert.Equal("harmony-mcp", config.GetProperty("included.client.audience").GetString());
        Assert.Equal("true", config.GetProperty("access.token.claim").GetString());
    }

    [Fact]
    public void DevUsers_Realm_HaveDifferentRolesAndPlaceholderPasswords()
    {
        var users = HarmonyRealm.Load().GetProperty("users").EnumerateArray()
            .Where(u => !u.TryGetProperty("serviceAccountClientId", out _)).ToList();

        Assert.True(users.Count >= 2);
        Assert.Equal(users.Count, users.Select(u => string.Join(',', HarmonyRealm.RolesOf(u).Order())).Distinct().Count());
        Assert.All(users, user =>
        {
            var credential = Assert.Single(user.GetProperty("credentials").EnumerateArray());
            Assert.Equal("${HARMONY_DEV_USER_PASSWORD}", credential.GetProperty("value").GetString());
            Assert.All(HarmonyRealm.RolesOf(user), role => Assert.Contains(role, HarmonyRealm.RealmRoles()));
        });
        Assert.Contains(users, u => HarmonyRealm.RolesOf(u).Contains("harmony:approver"));
    }

    [Fact]
    public void Realm_File_HoldsNoLiteralSecret()
    {
        var text = File.ReadAllText(HarmonyRealm.FilePath);
        using var document = JsonDocument.Parse(text);

        Assert.All(
            Secrets(document.RootElement),
            value => Assert.Matches(@"^\$\{[A-Z0-9_]+\}$", value));
    }

    private static IEnumerable<string> Secrets(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name is "secret" or "value" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Secrets(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Secrets),
        _ => [],
    };
}
