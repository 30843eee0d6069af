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

        // The SDK and ASP.NET Core log every request at Information, which halves a call's median on stdio
        // (bench/RESULTS.md); an operator wants the server's own lines, not those.
        builder.AddLogLevelDefaults(("ModelContextProtocol", LogLevel.Warning), ("Microsoft.AspNetCore", LogLevel.Warning));

        builder.AddStdioLogging();

        builder.AddBasicServiceDefaults();

        builder.AddHarmonyMcp(settings).WithStdioServerTransport();

        return builder.Build();
    }
}
