using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Harmony.Tests.Infrastructure;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Mcp;

/// <summary><c>/mcp</c> behind an OIDC authority: who the token says the caller is, and which tokens are refused.</summary>
public sealed class BearerAuthenticationTests
{
    private const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ValidToken_RolesFromRealmAndClientAccess_DecideToolsAndIdentity()
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var temporal = await FakeTemporalFrontend.StartAsync();
        temporal.On<StartWorkflowExecutionRequest>("StartWorkflowExecution", _ => TemporalResponses.Started());
        await using var server = await StartProtectedServerAsync(authority, temporal.Address, ("MCP_CAPABILITY_BEHAVIOR", "start"));
        var token = authority.IssueToken("service-account-harmony-agent", ["harmony:probe"], clientRoles: ["harmony:data-read"]);
        await using var client = await server.ConnectAsync(Cancellation, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        var tools = (await client.ListToolsAsync(cancellationToken: Cancellation)).Select(t => t.Name).ToList();
        var result = await client.CallToolAsync("golden.http_probe",
            new Dictionary<string, object?> { ["url"] = "http://api.shop.svc.cluster.local/health" }, cancellationToken: Cancellation);

        Assert.Contains("golden.http_probe", tools);
        Assert.Contains("golden.postgres_query", tools);
        Assert.DoesNotContain("golden.github_request", tools);
        Assert.DoesNotContain("workflows.verified_release", tools);
        Assert.NotEqual(true, result.IsError);
        var memo = Assert.Single(temporal.RequestsOf<StartWorkflowExecutionRequest>()).Memo.Fields["golden.securityContext"].Data.ToStringUtf8();
        Assert.Contains("\"initiatorId\":\"service-account-harmony-agent\"", memo, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"harmony:probe\",\"harmony:data-read\"]", memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidToken_RolesOfAnotherClient_GrantNothing()
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var server = await StartProtectedServerAsync(authority, string.Empty);
        var token = authority.IssueToken("mallory", [], clientRoles: ["harmony:deploy", "harmony:probe"], rolesClient: "team-wiki");
        await using var client = await server.ConnectAsync(Cancellation, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });

        var tools = (await client.ListToolsAsync(cancellationToken: Cancellation)).Select(t => t.Name).ToList();
        var result = await client.CallToolAsync("golden.http_probe",
            new Dictionary<string, object?> { ["url"] = "http://api.shop.svc.cluster.local/health" }, cancellationToken: Cancellation);

        Assert.DoesNotContain("golden.http_probe", tools);
        Assert.Contains("golden.echo", tools);
        Assert.Equal("FORBIDDEN", result.StructuredContent!.Value.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("garbage")]
    public async Task RefusedToken_Gets401WithPointerToResourceMetadata(string variant)
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var server = await StartProtectedServerAsync(authority, string.Empty);
        var token = variant switch
        {
            "none" => null,
            "expired" => authority.IssueToken("u", [], lifetime: TimeSpan.FromMinutes(-10)),
            "wrong-audience" => authority.IssueToken("u", [], audience: "another-api"),
            "wrong-issuer" => authority.IssueToken("u", [], issuer: "http://evil.test/realms/harmony"),
            _ => "not.a.jwt",
        };
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpEndpoint)
        {
            Content = new StringContent(InitializeBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = string.Join(' ', response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Contains("resource_metadata", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpoints_StayOpenWhileMcpNeedsAToken(string path)
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var server = await StartProtectedServerAsync(authority, string.Empty);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var probe = await http.GetAsync(path, Cancellation);
        using var mcp = await http.PostAsync("/mcp", new StringContent(InitializeBody, Encoding.UTF8, "application/json"), Cancellation);

        // Kubernetes probes carry no token; /mcp beside them does need one.
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Equal("Healthy", await probe.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.Unauthorized, mcp.StatusCode);
    }

    [Fact]
    public async Task ProtectedResourceMetadata_FromTheChallenge_NamesTheAuthorityAndTheMcpEndpoint()
    {
        await using var authority = await FakeOidcAuthority.StartAsync();
        await using var server = await StartProtectedServerAsync(authority, string.Empty);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var refused = await http.PostAsync(
            "/mcp", new StringContent(InitializeBody, Encoding.UTF8, "application/json"), Cancellation);
        var pointer = Assert.Single(refused.Headers.WwwAuthenticate).Parameter!;
        var metadataUrl = System.Text.RegularExpressions.Regex.Match(pointer, "resource_metadata=\"([^\"]+)\"").Groups[1].Value;

        var metadata = JsonDocument.Parse(await http.GetStringAsync(new Uri(metadataUrl), Cancellation)).RootElement;

        // RFC 9728: the client must find, in the document, the very resource it called.
        Assert.Equal(server.McpEndpoint.ToString(), metadata.GetProperty("resource").GetString());
        Assert.Equal(authority.Authority, metadata.GetProperty("authorization_servers")[0].GetString());
        Assert.Contains("header", metadata.GetProperty("bearer_methods_supported").EnumerateArray().Select(m => m.GetString()));
    }

    private static Task<McpTestServer> StartProtectedServerAsync(
        FakeOidcAuthority authority, string temporalAddress, params (string Key, string Value)[] extra) =>
        McpTestServer.StartAsync(
            TestSettings.For(temporalAddress,
                [("Harmony:Auth:Authority", authority.Authority), ("Harmony:Auth:Audience", "harmony-mcp"),
                 ("Harmony:Auth:AllowHttpMetadata", "true"), ("MCP_ROLES", ""), .. extra]),
            Cancellation);
}
