using Harmony.Mcp.Configuration;

namespace Harmony.Mcp.Hosting;

/// <summary>The MCP server over Streamable HTTP at <c>/mcp</c>, with health endpoints and optional bearer auth.</summary>
public static class McpWebHost
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Read and checked once, here, so a wrong knob stops the server at start instead of failing the first call.
        var settings = McpServerSettingsReader.Read(builder.Configuration);

        builder.AddLoggingDefaults();

        builder.AddServiceDefaults();

        builder.AddHarmonyMcp(settings).WithHttpTransport();

        var authenticated = builder.AddHarmonyAuthentication(settings);

        var app = builder.Build();

        app.MapDefaultEndpoints();

        app.MapHarmonyMcp(authenticated);

        return app;
    }
}
