using Harmony.Core.Catalog;
using Harmony.Mcp.Configuration;
using Harmony.Mcp.Identity;
using Harmony.Mcp.Runners;
using Harmony.Mcp.Tools;
using ModelContextProtocol.Protocol;

namespace Harmony.Mcp.Hosting;

/// <summary>Wires the MCP tool surface, shared by the HTTP and stdio transports.</summary>
public static class HarmonyMcpExtensions
{
    /// <summary>The tracing source of the official MCP SDK.</summary>
    public const string McpSdkTelemetrySource = "Experimental.ModelContextProtocol";

    /// <summary>Registers the catalog's tools, identity, envelope checks and the Temporal runner.</summary>
    public static IMcpServerBuilder AddHarmonyMcp(this IHostApplicationBuilder builder, McpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(BuiltInCatalog.Default);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ToolDirectory>();
        builder.Services.AddSingleton<CallerResolver>();
        builder.Services.AddSingleton<TemporalClientProvider>();
        builder.Services.AddSingleton<TemporalWorkflowRunner>();
        builder.Services.AddSingleton<ToolListHandler>();
        builder.Services.AddSingleton<ToolCallHandler>();
        builder.Services.AddHostedService<StartupReport>();

        // The SDK's own spans continue the caller's trace from _meta.traceparent (the only carrier stdio has), and
        // the tool call's span, with the trace_id every answer carries, is their child.
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(McpSdkTelemetrySource));

        return builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "harmony", Title = "Harmony", Version = "1.0.0" };
                options.ServerInstructions =
                    "Harmony runs platform operations as Temporal workflows. Each tool is a capability or a blueprint; "
                    + "every answer carries trace_id, and started workflows carry meta.statusUrl.";
            })
            .WithListToolsHandler((context, _) =>
                ValueTask.FromResult(context.Services!.GetRequiredService<ToolListHandler>().Handle(context)))
            .WithCallToolHandler((context, cancellationToken) =>
                context.Services!.GetRequiredService<ToolCallHandler>().HandleAsync(context, cancellationToken));
    }
}
