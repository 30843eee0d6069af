using Microsoft.Extensions.Configuration.Memory;

namespace Harmony.Mcp.Hosting;

/// <summary>
/// Log levels the server ships with. The MCP SDK and ASP.NET Core log every request at Information, which halves a
/// call's median on stdio (bench/RESULTS.md); an operator wants the server's own lines, not those.
/// </summary>
public static class LoggingDefaults
{
    private static readonly Dictionary<string, string?> Levels = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:ModelContextProtocol"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>
    /// Adds the levels as the lowest-precedence configuration source, so <c>Logging__LogLevel__*</c>,
    /// <c>appsettings.json</c> and command-line switches still decide.
    /// </summary>
    public static IHostApplicationBuilder AddLoggingDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        return builder;
    }
}
