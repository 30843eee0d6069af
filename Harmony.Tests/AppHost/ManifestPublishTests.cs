using System.Diagnostics;
using System.Text.Json;

namespace Harmony.Tests.AppHost;

/// <summary>
/// <c>dotnet run --project Harmony.AppHost -- --publisher manifest --output-path dir</c>, run for real: it needs no
/// container runtime, so it runs here as on any machine.
/// </summary>
public sealed class ManifestPublishTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task ManifestPublisher_AppHost_WritesEveryResourceWithoutErrors()
    {
        var output = Directory.CreateTempSubdirectory("harmony-manifest-");
        try
        {
            var (exitCode, log) = await RunAppHostAsync("--publisher", "manifest", "--output-path", output.FullName);

            Assert.True(exitCode == 0, log);
            Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(
                Path.Combine(output.FullName, "aspire-manifest.json"), TestContext.Current.CancellationToken));
            var resources = manifest.RootElement.GetProperty("resources");
            Assert.All(
                ["postgres", "temporal-schema", "temporal", "temporal-ui", "keycloak", "openbao", "mcp", "worker"],
                name => Assert.True(resources.TryGetProperty(name, out _), name));
            var mcp = resources.GetProperty("mcp");
            Assert.Equal("{temporal.connectionString}", mcp.GetProperty("env").GetProperty("TEMPORAL_ADDRESS").GetString());
            Assert.True(mcp.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
            var envelopeSecret = resources.GetProperty("mcp-envelope-secret").GetProperty("inputs").GetProperty("value");
            Assert.True(envelopeSecret.GetProperty("secret").GetBoolean());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Log)> RunAppHostAsync(params string[] appHostArgs)
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
