using Harmony.Mcp.Configuration;

namespace Harmony.Mcp.Hosting;

/// <summary>Streamable HTTP with or without sessions, as <c>MCP_HTTP_STATELESS</c> says.</summary>
public static partial class McpHttpTransportExtensions
{
    /// <summary>
    /// Stateless, each POST is served on its own: no <c>Mcp-Session-Id</c>, no GET stream, so any replica behind a plain
    /// load balancer can answer. Harmony loses nothing by it: the server never calls the client (no sampling,
    /// elicitation or roots), sends no unsolicited notifications, and every request carries its own bearer token or
    /// signed envelope. Stateful keeps a session per client in this process, so replicas would need session affinity.
    /// </summary>
    public static IMcpServerBuilder WithHarmonyHttpTransport(this IMcpServerBuilder builder, McpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        return builder.WithHttpTransport(options => options.Stateless = settings.HttpStateless);
    }

    /// <summary>Logs whether sessions are kept, which decides whether the server may run as several replicas.</summary>
    public static void ReportHttpTransport(this WebApplication app, McpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Harmony.Mcp.Transport");
        if (settings.HttpStateless)
        {
            LogStateless(logger);
        }
        else
        {
            LogStateful(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Streamable HTTP is stateless (MCP_HTTP_STATELESS): any replica can answer any request")]
    private static partial void LogStateless(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Streamable HTTP keeps sessions in this process (MCP_HTTP_STATELESS=false): several replicas need session affinity")]
    private static partial void LogStateful(ILogger logger);
}
