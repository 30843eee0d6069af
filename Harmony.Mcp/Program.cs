using Harmony.Mcp.Hosting;

// One tool surface, two transports: stdio for an agent that starts the server itself, Streamable HTTP otherwise.
if (args.Contains(McpStdioHost.Switch))
{
    await McpStdioHost.Create([.. args.Where(arg => arg != McpStdioHost.Switch)]).RunAsync();
    return;
}

await McpWebHost.Create(args).RunAsync();
