using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;

namespace Harmony.Bench;

/// <summary>A Harmony MCP server started for one mode, with a connected official MCP client.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Func<string, CancellationToken, ValueTask> _send;
    private readonly Func<CancellationToken, Task> _verify;
    private readonly Func<ValueTask> _stop;
    private readonly Func<long> _logLines;

    private ServerUnderTest(
        string mode,
        Func<string, CancellationToken, ValueTask> send,
        Func<CancellationToken, Task> verify,
        int pid,
        Func<long> logLines,
        Func<ValueTask> stop)
    {
        Mode = mode;
        _send = send;
        _verify = verify;
        Pid = pid;
        _logLines = logLines;
        _stop = stop;
    }

    public string Mode { get; }

    /// <summary>The process whose memory is reported: the server's own, or this driver's in the in-process mode.</summary>
    public int Pid { get; }

    /// <summary>Lines the server has written to its log (stderr for stdio, stdout and stderr for HTTP) so far.</summary>
    public long LogLines => _logLines();

    public static Task<ServerUnderTest> StartAsync(
        string mode, string serverPath, IReadOnlyDictionary<string, string?> extraEnvironment, CancellationToken cancellationToken) => mode switch
    {
        "handlers" => Task.FromResult(StartHandlers()),
        "inproc" => StartInProcessAsync(cancellationToken),
        "inproc-http" => StartInProcessHttpAsync(cancellationToken),
        "stdio" => StartStdioAsync(serverPath, extraEnvironment, cancellationToken),
        "http" => StartHttpAsync(serverPath, extraEnvironment, cancellationToken),
        _ => throw new ArgumentException($"Unknown mode '{mode}'.", nameof(mode)),
    };

    /// <summary>Sends one request of a scenario and waits for its answer.</summary>
    public ValueTask SendAsync(string scenario, CancellationToken cancellationToken) => _send(scenario, cancellationToken);

    /// <summary>Sends each scenario's request once and checks the answer.</summary>
    public Task VerifyAsync(CancellationToken cancellationToken) => _verify(cancellationToken);

    public async ValueTask DisposeAsync() => await _stop().ConfigureAwait(false);

    private static ServerUnderTest StartHandlers()
    {
        var harness = new HandlerHarness();
        return new ServerUnderTest(
            "handlers",
            (scenario, _) => harness.RunAsync(scenario),
            _ => harness.VerifyAsync(),
            Environment.ProcessId,
            () => 0,
            () =>
            {
                harness.Dispose();
                return ValueTask.CompletedTask;
            });
    }

    private static async Task<ServerUnderTest> StartInProcessAsync(CancellationToken cancellationToken)
    {
        var server = await InProcessMcpServer.StartStreamAsync(cancellationToken).ConfigureAwait(false);
        return FromClient("inproc", server.Client, Environment.ProcessId, () => 0, server.DisposeAsync);
    }

    private static async Task<ServerUnderTest> StartInProcessHttpAsync(CancellationToken cancellationToken)
    {
        var server = await InProcessMcpServer.StartHttpAsync(cancellationToken).ConfigureAwait(false);
        return FromClient("inproc-http", server.Client, Environment.ProcessId, () => 0, server.DisposeAsync);
    }

    private static ServerUnderTest FromClient(string mode, McpClient client, int pid, Func<long> logLines, Func<ValueTask> stop) => new(
        mode,
        (scenario, cancellationToken) => new ValueTask(McpScenarios.RunAsync(client, scenario, cancellationToken)),
        cancellationToken => McpScenarios.VerifyAsync(client, cancellationToken),
        pid,
        logLines,
        stop);

    private static async Task<ServerUnderTest> StartStdioAsync(
        string serverPath, IReadOnlyDictionary<string, string?> extraEnvironment, CancellationToken cancellationToken)
    {
        long lines = 0;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "harmony",
            Command = "dotnet",
            Arguments = [serverPath, "--stdio"],
            EnvironmentVariables = ServerEnvironment(extraEnvironment),
            StandardErrorLines = _ => Interlocked.Increment(ref lines),
        });
        var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pid = ProcessMemory.FindChild(serverPath)
            ?? throw new InvalidOperationException("The stdio server started, but its process was not found under /proc.");
        return FromClient("stdio", client, pid, () => Interlocked.Read(ref lines), client.DisposeAsync);
    }

    private static async Task<ServerUnderTest> StartHttpAsync(
        string serverPath, IReadOnlyDictionary<string, string?> extraEnvironment, CancellationToken cancellationToken)
    {
        var baseUrl = $"http://127.0.0.1:{FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { serverPath, "--urls", baseUrl },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in ServerEnvironment(extraEnvironment))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        long lines = 0;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the HTTP server.");
        process.OutputDataReceived += (_, e) => Count(e.Data, ref lines);
        process.ErrorDataReceived += (_, e) => Count(e.Data, ref lines);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilAliveAsync(process, new Uri(baseUrl + "/alive"), cancellationToken).ConfigureAwait(false);
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(baseUrl + "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
            });
            var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromClient("http", client, process.Id, () => Interlocked.Read(ref lines), async () =>
            {
                await client.DisposeAsync().ConfigureAwait(false);
                await StopAsync(process).ConfigureAwait(false);
            });
        }
        catch
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The benchmark settings, with every knob that could change the measured path cleared, then the extras.</summary>
    private static Dictionary<string, string?> ServerEnvironment(IReadOnlyDictionary<string, string?> extraEnvironment)
    {
        var environment = BenchServerSettings.Create();
        foreach (var cleared in (string[])[
            "MCP_ENVELOPE_HMAC_SECRET", "MCP_REQUIRE_ENVELOPE", "MCP_CAPABILITY_BEHAVIOR", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "Harmony__Auth__Authority", "Harmony__Auth__Audience", "ASPNETCORE_URLS"])
        {
            environment[cleared] = null;
        }

        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static void Count(string? line, ref long lines)
    {
        if (line is not null)
        {
            Interlocked.Increment(ref lines);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAliveAsync(Process process, Uri alive, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The HTTP server exited with code {process.ExitCode} before it served /alive.");
            }

            try
            {
                using var response = await http.GetAsync(alive, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out while the server was starting.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException("The HTTP server did not serve /alive within 60 seconds.");
    }

    private static async Task StopAsync(Process process)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
    }
}
