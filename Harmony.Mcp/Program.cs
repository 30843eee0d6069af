using Harmony.Mcp.Hosting;

// One tool surface, two transports: stdio for an agent that starts the server itself, Streamable HTTP otherwise.
if (args.Contains("--stdio"))
{
    await McpStdioHost.Create(args).RunAsync();
    return;
}

await McpWebHost.Create(args).RunAsync();
