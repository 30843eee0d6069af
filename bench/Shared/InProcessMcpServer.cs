using System.IO.Pipelines;
using Harmony.Mcp.Configuration;
using Harmony.Mcp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Harmony.Bench;

/// <summary>
/// The Harmony MCP server hosted in this process, wired as <c>Harmony.Mcp</c>'s Program wires it, with a connected
/// official MCP client. Logging providers are cleared so the numbers are the server's work, not console writes.
/// </summary>
internal sealed class InProcessMcpServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Pipe[] _pipes;

    private InProcessMcpServer(IHost host, McpClient client, Pipe[] pipes)
    {
        _host = host;
        Client = client;
        _pipes = pipes;
    }

    public McpClient Client { get; }

    /// <summary>The stdio host's wiring, with in-memory pipes in place of stdin and stdout.</summary>
    public static async Task<InProcessMcpServer> StartStreamAsync(CancellationToken cancellationToken)
    {
        var clientToServer = new Pipe();
        var serverToClient = new Pipe();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(BenchServerSettings.Create());
        builder.Logging.ClearProviders();
        builder.AddBasicServiceDefaults();
        builder.AddHarmonyMcp(McpServerSettingsReader.Read(builder.Configuration)).WithStreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream());
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);

        var transport = new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream());
        var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new InProcessMcpServer(host, client, [clientToServer, serverToClient]);
    }

    /// <summary>The HTTP host's wiring on a real Kestrel listening on a free loopback port.</summary>
    public static async Task<InProcessMcpServer> StartHttpAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(BenchServerSettings.Create());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults();
        builder.AddHarmonyMcp(McpServerSettingsReader.Read(builder.Configuration)).WithHttpTransport();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapHarmonyMcp(authenticated: false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var endpoint = new Uri(new Uri(app.Urls.First()), McpEndpointExtensions.McpPath);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
        });
        var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new InProcessMcpServer(app, client, []);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        foreach (var pipe in _pipes)
        {
            await pipe.Writer.CompleteAsync().ConfigureAwait(false);
        }

        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
