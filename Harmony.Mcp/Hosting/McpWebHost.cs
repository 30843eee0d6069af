namespace Harmony.Mcp.Hosting;

/// <summary>The MCP server over Streamable HTTP at <c>/mcp</c>, with health endpoints and optional bearer auth.</summary>
public static class McpWebHost
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();

        builder.AddHarmonyMcp().WithHttpTransport();

        var authenticated = builder.AddHarmonyAuthentication();

        var app = builder.Build();

        app.MapDefaultEndpoints();

        app.MapHarmonyMcp(authenticated);

        return app;
    }
}
