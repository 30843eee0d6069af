namespace Harmony.Mcp.Hosting;

/// <summary>The MCP server on stdin/stdout; logs go to stderr, so stdout carries nothing but protocol.</summary>
public static class McpStdioHost
{
    public static IHost Create(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);

        builder.AddStdioLogging();

        builder.AddBasicServiceDefaults();

        builder.AddHarmonyMcp().WithStdioServerTransport();

        return builder.Build();
    }
}
