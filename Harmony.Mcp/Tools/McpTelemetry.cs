using System.Diagnostics;

namespace Harmony.Mcp.Tools;

/// <summary>The MCP server's own tracing source; the service defaults export it as <c>Harmony</c>.</summary>
internal static class McpTelemetry
{
    public static readonly ActivitySource Source = new(Extensions.HarmonyTelemetrySource);
}
