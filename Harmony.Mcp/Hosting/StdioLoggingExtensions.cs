namespace Harmony.Mcp.Hosting;

/// <summary>Logging for the stdio transport, where stdout belongs to the protocol.</summary>
public static class StdioLoggingExtensions
{
    public static IHostApplicationBuilder AddStdioLogging(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }
}
