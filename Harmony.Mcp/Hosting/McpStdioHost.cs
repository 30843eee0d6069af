using Harmony.Mcp.Configuration;

namespace Harmony.Mcp.Hosting;

/// <summary>The MCP server on stdin/stdout; logs go to stderr, so stdout carries nothing but protocol.</summary>
public static class McpStdioHost
{
    /// <summary>
    /// The switch that selects stdio. It is taken out before configuration reads the arguments, which would
    /// otherwise treat the argument after it as its value.
    /// </summary>
    public const string Switch = "--stdio";

    public static IHost Create(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);

        var settings = McpServerSettingsReader.Read(builder.Configuration);

        builder.AddLoggingDefaults();

        builder.AddStdioLogging();

        builder.AddBasicServiceDefaults();

        builder.AddHarmonyMcp(settings).WithStdioServerTransport();

        return builder.Build();
    }
}
