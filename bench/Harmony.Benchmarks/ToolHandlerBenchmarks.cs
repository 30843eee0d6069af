using BenchmarkDotNet.Attributes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Harmony.Bench;

/// <summary>
/// Harmony's own <c>tools/list</c> and <c>tools/call</c> handlers, called directly; and the same followed by the
/// serialization of the answer with the SDK's options, which is what the server adds before the transport writes it.
/// </summary>
[MemoryDiagnoser]
public class ToolHandlerBenchmarks
{
    private HandlerHarness _harness = null!;

    [GlobalSetup]
    public void Setup()
    {
        _harness = new HandlerHarness();
        _harness.VerifyAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _harness.Dispose();

    [Benchmark]
    public ListToolsResult ListTools() => _harness.ListTools();

    [Benchmark]
    public ValueTask<CallToolResult> RejectedCall() => _harness.RejectedCallAsync();

    [Benchmark]
    public ValueTask<CallToolResult> NotConfiguredCall() => _harness.NotConfiguredCallAsync();

    [Benchmark]
    public byte[] ListToolsSerialized() => Serialize(_harness.ListTools());

    [Benchmark]
    public async Task<byte[]> RejectedCallSerialized() => Serialize(await _harness.RejectedCallAsync().ConfigureAwait(false));

    [Benchmark]
    public async Task<byte[]> NotConfiguredCallSerialized() =>
        Serialize(await _harness.NotConfiguredCallAsync().ConfigureAwait(false));

    private static byte[] Serialize<T>(T result) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(result, McpJsonUtilities.DefaultOptions);
}
