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

        // The SDK and ASP.NET Core log every request at Information, which halves a call's median on stdio
        // (bench/RESULTS.md); an operator wants the server's own lines, not those.
        builder.AddLogLevelDefaults(("ModelContextProtocol", LogLevel.Warning), ("Microsoft.AspNetCore", LogLevel.Warning));

        builder.AddServiceDefaults();

        builder.AddHarmonyMcp(settings).WithHarmonyHttpTransport(settings);

        var authenticated = builder.AddHarmonyAuthentication(settings);

        var app = builder.Build();

        app.ReportHttpTransport(settings);

        app.MapDefaultEndpoints();

        app.MapHarmonyMcp(authenticated);

        return app;
    }
}
