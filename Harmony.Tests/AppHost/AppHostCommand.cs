using System.Diagnostics;

namespace Harmony.Tests.AppHost;

/// <summary><c>dotnet run --project Harmony.AppHost -- …</c> as a user runs it, on the build the tests were built with.</summary>
internal static class AppHostCommand
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>Runs the AppHost with <paramref name="appHostArgs"/>; returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Log)> RunAsync(params string[] appHostArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args = ["run", "--no-build", "--configuration", Configuration, "--project", Projects.Harmony_AppHost.ProjectPath];
        foreach (var arg in (string[])[.. args, "--", .. appHostArgs])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
