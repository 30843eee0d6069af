using System.Diagnostics;

namespace Harmony.Tests.Worker;

/// <summary>The worker as an operator starts it: a setting it cannot run with stops it at once, with one plain line.</summary>
public sealed class WorkerProcessTests
{
    private static string WorkerExecutable =>
        Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Harmony.Worker.exe" : "Harmony.Worker");

    [Theory]
    [InlineData("WORKER_MAX_CONCURRENT_ACTIVITIES", "0", "WORKER_MAX_CONCURRENT_ACTIVITIES '0' is not a whole number greater than 0.")]
    [InlineData("DAGGER_SESSION_PORT", "8080", "DAGGER_SESSION_PORT is set but DAGGER_SESSION_TOKEN is not; an existing Dagger session needs both.")]
    public async Task Worker_SettingItCannotRunWith_ExitsWithCodeTwoAndTheSentence(string key, string value, string message)
    {
        var start = new ProcessStartInfo(WorkerExecutable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["TEMPORAL_ADDRESS"] = "127.0.0.1:1";
        using var worker = Process.Start(start)!;
        var stdout = worker.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = worker.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        try
        {
            await worker.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(2, worker.ExitCode);
        Assert.Equal(message, (await stderr).Trim());
        Assert.DoesNotContain("   at ", await stdout, StringComparison.Ordinal);
    }
}
