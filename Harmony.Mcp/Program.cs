using Harmony.Core.Configuration;
using Harmony.Mcp.Hosting;

try
{
    // One tool surface, two transports: stdio for an agent that starts the server itself, Streamable HTTP otherwise.
    if (args.Contains(McpStdioHost.Switch))
    {
        await McpStdioHost.Create([.. args.Where(arg => arg != McpStdioHost.Switch)]).RunAsync();
    }
    else
    {
        await McpWebHost.Create(args).RunAsync();
    }

    return 0;
}
catch (InvalidConfigurationException invalid)
{
    // A plain sentence on stderr, not a stack trace: the operator has a knob to fix, not a bug to report.
    await Console.Error.WriteLineAsync(invalid.Message);
    return 2;
}
