using System.Collections.Concurrent;
using System.Diagnostics;
using Harmony.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Harmony.Tests.AppHost;

/// <summary>
/// <c>dotnet run --project Harmony.AppHost</c> on a machine where no container runtime answers: the services start and
/// the log says what cannot. Runs only there; where a runtime answers it would start the real containers instead.
/// </summary>
public sealed class NoContainerRuntimeTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task AppHost_NoContainerRuntime_StartsServicesAndSaysWhatIsMissing()
    {
        var runtime = ContainerRuntimeProbe.RuntimeName(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        var problem = await ContainerRuntimeProbe.FindProblemAsync(runtime, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.SkipWhen(problem is null, "A container runtime answers here; this test is for machines without one.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var log = new ConcurrentQueue<string>();
        using var appHost = Start(log);
        try
        {
            // The AppHost and the MCP server are other processes: polling is the only way to see them come up.
            await UntilAsync(() => Task.FromResult(log.Any(l => l.Contains("No container runtime answers", StringComparison.Ordinal))), timeout.Token);
            var mcpAnswers = await UntilAsync(McpAnswersAsync, timeout.Token);

            var warning = string.Join('\n', log.SkipWhile(l => !l.Contains("No container runtime answers", StringComparison.Ordinal)).Take(3));
            Assert.Contains("These resources cannot start: postgres, temporal-schema, temporal, temporal-ui, keycloak, openbao", warning, StringComparison.Ordinal);
            Assert.Contains("worker, mcp start anyway", warning, StringComparison.Ordinal);
            Assert.True(mcpAnswers, string.Join('\n', log));
        }
        finally
        {
            appHost.Kill(entireProcessTree: true);
            await appHost.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static Process Start(ConcurrentQueue<string> log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args = ["run", "--no-build", "--configuration", Configuration, "--project", Projects.Harmony_AppHost.ProjectPath];
        foreach (var arg in (string[])[.. args, "--launch-profile", "http"])
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> McpAnswersAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            // Any answer will do: without Temporal the server may well call itself unhealthy, but it runs.
            using var response = await http.GetAsync("http://localhost:5100/alive");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (!await condition())
        {
            await timer.WaitForNextTickAsync(cancellationToken);
        }

        return true;
    }
}
