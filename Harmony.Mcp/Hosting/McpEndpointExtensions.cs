namespace Harmony.Mcp.Hosting;

/// <summary>Maps the MCP endpoint, behind authentication when it is configured.</summary>
public static class McpEndpointExtensions
{
    public const string McpPath = "/mcp";

    public static WebApplication MapHarmonyMcp(this WebApplication app, bool authenticated)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.ReportAuthentication(authenticated);
        if (authenticated)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapMcp(McpPath).RequireAuthorization();
        }
        else
        {
            app.MapMcp(McpPath);
        }

        return app;
    }
}
