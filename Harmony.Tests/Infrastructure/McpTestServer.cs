using System.Text;
using Harmony.Mcp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace Harmony.Tests.Infrastructure;

/// <summary>
/// The real MCP web host on a free loopback port, configured through command-line keys exactly as the environment
/// variables are named, and reached through the official MCP client over Streamable HTTP.
/// </summary>
public sealed class McpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private McpTestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri McpEndpoint => new(BaseAddress, "/mcp");

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="settings"/> are configuration keys such as <c>MCP_ROLES</c>.</summary>
    public static async Task<McpTestServer> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning" };
        foreach (var (key, value) in settings)
        {
            args.Add($"--{key}={value}");
        }

        var app = McpWebHost.Create([.. args]);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new McpTestServer(app, new Uri(address));
    }

    public Task<McpClient> ConnectAsync(CancellationToken cancellationToken, IDictionary<string, string>? headers = null) =>
        McpClient.CreateAsync(new HttpClientTransport(TransportOptions(headers)), cancellationToken: cancellationToken);

    /// <summary>A client whose requests go through <paramref name="httpClient"/>, such as a <see cref="ReplicaRouter"/>.</summary>
    public Task<McpClient> ConnectThroughAsync(
        HttpClient httpClient, CancellationToken cancellationToken, IDictionary<string, string>? headers = null) =>
        McpClient.CreateAsync(
            new HttpClientTransport(TransportOptions(headers), httpClient), cancellationToken: cancellationToken);

    /// <summary>
    /// A raw JSON-RPC POST to <see cref="McpEndpoint"/>, as a client without the SDK sends it, with the session and the
    /// protocol revision when given.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(
        HttpClient http, string body, string? session, CancellationToken cancellationToken, string? protocolVersion = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, McpEndpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private HttpClientTransportOptions TransportOptions(IDictionary<string, string>? headers) => new()
    {
        Endpoint = McpEndpoint,
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = headers,
    };
}
