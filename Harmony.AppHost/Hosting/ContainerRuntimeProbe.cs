using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Harmony.AppHost.Hosting;

/// <summary>Asks the container runtime Aspire will use whether it answers, as a developer would: <c>docker info</c>.</summary>
internal static class ContainerRuntimeProbe
{
    /// <summary>The runtime Aspire's orchestrator uses: <c>ASPIRE_CONTAINER_RUNTIME</c> when set, else docker.</summary>
    public static string RuntimeName(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime ? runtime
        : configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } legacy ? legacy
        : "docker";

    /// <summary>Returns why <paramref name="runtime"/> does not answer, or <see langword="null"/> when it does.</summary>
    public static async Task<string?> FindProblemAsync(string runtime, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(runtime, "info")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"'{runtime}' did not start.");
        }
        catch (Win32Exception)
        {
            return $"'{runtime}' is not installed or not on PATH";
        }

        using (process)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            var error = process.StandardError.ReadToEndAsync(timeoutSource.Token);
            _ = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
            try
            {
                await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return $"'{runtime} info' did not answer within {timeout.TotalSeconds:0} s";
            }

            if (process.ExitCode == 0)
            {
                return null;
            }

            var firstLine = (await error.ConfigureAwait(false))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() ?? "no message";
            return $"'{runtime} info' exited with {process.ExitCode}: {firstLine}";
        }
    }
}
