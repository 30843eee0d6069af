using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harmony.Tests.Infrastructure;

/// <summary>
/// The MCP server started as a real child process with <c>--stdio</c>, spoken to line by line, so a test sees every
/// byte the server writes to stdout.
/// </summary>
public sealed class StdioServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stderr = [];

    private StdioServerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public static string ServerExecutable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Harmony.Mcp.exe" : "Harmony.Mcp");

    public IReadOnlyList<string> StandardErrorLines
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    public static StdioServerProcess Start(params string[] settings)
    {
        var start = new ProcessStartInfo(ServerExecutable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--stdio");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        return new StdioServerProcess(Process.Start(start)!);
    }

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads responses, keyed by id, until every one of <paramref name="ids"/> came; every line must be JSON-RPC.</summary>
    public async Task<Dictionary<int, JsonObject>> ReadResponsesAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        var responses = new Dictionary<int, JsonObject>();
        while (true)
        {
            var message = await ReadMessageAsync(cancellationToken);
            if (message["id"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                var id = value.GetValue<int>();
                responses[id] = message;
                if (ids.All(responses.ContainsKey))
                {
                    return responses;
                }
            }
        }
    }

    /// <summary>Reads stdout lines until the response to <paramref name="id"/>; every line must be a JSON-RPC message.</summary>
    public async Task<JsonObject> ReadResponseAsync(int id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await ReadMessageAsync(cancellationToken);
            if (message["id"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.GetValue<int>() == id)
            {
                return message;
            }
        }
    }

    private async Task<JsonObject> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken)
            ?? throw new InvalidOperationException("The server closed stdout. stderr: " + string.Join('\n', StandardErrorLines));
        var message = JsonNode.Parse(line) as JsonObject
            ?? throw new InvalidOperationException($"stdout carried a line that is not a JSON object: {line}");
        Assert.Equal("2.0", message["jsonrpc"]?.GetValue<string>());
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
