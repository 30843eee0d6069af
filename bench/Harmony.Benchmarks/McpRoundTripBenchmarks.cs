using BenchmarkDotNet.Attributes;

namespace Harmony.Bench;

/// <summary>
/// Whole requests through the official MCP client to a Harmony server in this process: over in-memory pipes (the stdio
/// host's wiring, JSON-RPC framing included) and over HTTP to a real Kestrel on loopback (Streamable HTTP).
/// </summary>
[MemoryDiagnoser]
public class McpRoundTripBenchmarks
{
    private InProcessMcpServer _server = null!;

    [Params("stream", "http")]
    public string Transport { get; set; } = "stream";

    [GlobalSetup]
    public void Setup()
    {
        _server = (Transport == "http"
            ? InProcessMcpServer.StartHttpAsync(CancellationToken.None)
            : InProcessMcpServer.StartStreamAsync(CancellationToken.None)).GetAwaiter().GetResult();
        McpScenarios.VerifyAsync(_server.Client, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task ListTools() => McpScenarios.RunAsync(_server.Client, McpScenarios.ListTools, CancellationToken.None);

    [Benchmark]
    public Task RejectedCall() => McpScenarios.RunAsync(_server.Client, McpScenarios.RejectedCall, CancellationToken.None);

    [Benchmark]
    public Task NotConfiguredCall() =>
        McpScenarios.RunAsync(_server.Client, McpScenarios.NotConfiguredCall, CancellationToken.None);
}
