using Harmony.Mcp.Hosting;

// One tool surface, two transports: stdio for a local agent that starts the server itself, Streamable HTTP otherwise.
if (args.Contains("--stdio"))
{
    var stdio = Host.CreateApplicationBuilder(args);
    stdio.AddStdioLogging();
    stdio.AddBasicServiceDefaults();
    stdio.AddHarmonyMcp().WithStdioServerTransport();
    await stdio.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

builder.AddHarmonyMcp().WithHttpTransport();

var authenticated = builder.AddHarmonyAuthentication();

var app = builder.Build();

app.MapDefaultEndpoints();

app.MapHarmonyMcp(authenticated);

await app.RunAsync();

/// <summary>The entry point, named so tests can host the server in-process.</summary>
public partial class Program;
