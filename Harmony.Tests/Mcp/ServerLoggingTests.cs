using Harmony.Tests.Infrastructure;

namespace Harmony.Tests.Mcp;

/// <summary>What an operator reads on stderr: the server's own lines, not a few SDK lines per request.</summary>
public sealed class ServerLoggingTests
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private const string SdkInformation = "info: ModelContextProtocol";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ByDefault_RequestsLeaveNoSdkInformationLines_ButStartupIsLogged()
    {
        var stderr = await ListToolsAndCollectStderrAsync("--TEMPORAL_ADDRESS=");

        Assert.DoesNotContain(stderr, line => line.StartsWith(SdkInformation, StringComparison.Ordinal));
        Assert.Contains(stderr, line => line.StartsWith("info: Harmony.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogLevelSetting_BringsTheSdkLinesBack()
    {
        var stderr = await ListToolsAndCollectStderrAsync("--TEMPORAL_ADDRESS=", "--Logging:LogLevel:ModelContextProtocol=Information");

        Assert.Contains(stderr, line => line.StartsWith(SdkInformation, StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> ListToolsAndCollectStderrAsync(params string[] settings)
    {
        var server = StdioServerProcess.Start(settings);
        await using (server)
        {
            await server.SendLineAsync(Initialize);
            await server.ReadResponseAsync(1, Cancellation);
            await server.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await server.SendLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
            await server.ReadResponseAsync(2, Cancellation);
        }

        // Disposing closed stdin and waited for the process to exit, so every line it logged has been read.
        return server.StandardErrorLines;
    }
}
