using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harmony.Worker.Dagger;

/// <summary>
/// Gives the Dagger session to use: the configured one, or one started with <c>dagger session</c> on first use and kept
/// for the worker's lifetime. The CLI keeps its session open for as long as its standard input stays open.
/// </summary>
internal sealed partial class DaggerSessionProvider(DaggerSettings settings, ILogger<DaggerSessionProvider> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _process;
    private DaggerSession? _session;

    public async Task<DaggerSession> GetAsync(CancellationToken cancellationToken)
    {
        if (settings.SessionPort is { } port)
        {
            return DaggerSession.OnLocalPort(port, settings.SessionToken!);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_session is not null && _process is { HasExited: false })
            {
                return _session;
            }

            if (_process is not null)
            {
                LogSessionEnded(logger, _process.ExitCode);
                _process.Dispose();
                _process = null;
            }

            _session = await StartAsync(cancellationToken).ConfigureAwait(false);
            return _session;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a session the engine no longer answers on, so the next call starts a new one.</summary>
    public void Invalidate(DaggerSession session)
    {
        if (ReferenceEquals(session, _session) && _process is { } process)
        {
            _session = null;
            StopProcess(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            // Closing stdin is how the CLI is told to end the session and let the engine clean up.
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<DaggerSession> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.CliPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("session");
        start.ArgumentList.Add("--label");
        start.ArgumentList.Add("dagger.io/sdk.name:harmony-dotnet");

        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                LogCliOutput(logger, line);
            }
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new DaggerUnavailableException($"The Dagger CLI '{settings.CliPath}' could not be started: {e.Message}", e);
        }

        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.SessionStartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            StopProcess(process);
            throw new DaggerUnavailableException($"'{settings.CliPath} session' did not announce a session within {settings.SessionStartTimeout}.");
        }
        catch (OperationCanceledException)
        {
            StopProcess(process);
            throw;
        }

        var announcement = line is null ? null : TryParse(line);
        if (announcement is null)
        {
            StopProcess(process);
            throw new DaggerUnavailableException($"'{settings.CliPath} session' ended or printed no session line; see its log output.");
        }

        _process = process;
        LogSessionStarted(logger, process.Id, announcement.Port);
        return DaggerSession.OnLocalPort(announcement.Port, announcement.SessionToken);
    }

    private static SessionAnnouncement? TryParse(string line)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<SessionAnnouncement>(line);
            return parsed is { Port: > 0 and < 65536, SessionToken.Length: > 0 } ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void StopProcess(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // The process already ended; nothing left to stop.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started a Dagger session: CLI process {ProcessId}, port {Port}")]
    private static partial void LogSessionStarted(ILogger logger, int processId, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Dagger session ended (CLI exit code {ExitCode}); starting a new one")]
    private static partial void LogSessionEnded(ILogger logger, int exitCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "dagger session: {Line}")]
    private static partial void LogCliOutput(ILogger logger, string line);

    private sealed record SessionAnnouncement(
        [property: JsonPropertyName("port")] int Port,
        [property: JsonPropertyName("session_token")] string SessionToken);
}
