using System.Text.Json;

namespace Harmony.Tests.AppHost;

/// <summary>
/// <c>dotnet run --project Harmony.AppHost -- --publisher manifest --output-path dir</c>, run for real: it needs no
/// container runtime, so it runs here as on any machine.
/// </summary>
public sealed class ManifestPublishTests
{
    [Fact]
    public async Task ManifestPublisher_InClusterInfrastructure_WritesEveryResourceWithoutErrors()
    {
        using var manifest = await PublishManifestAsync("--Harmony:Kubernetes:InClusterInfrastructure=true");

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

    [Fact]
    public async Task ManifestPublisher_ManagedInfrastructure_NamesTheServicesByAddressAndRunsNoContainers()
    {
        using var manifest = await PublishManifestAsync("--ConnectionStrings:temporal=temporal.prod.internal:7233");

        var resources = manifest.RootElement.GetProperty("resources");
        Assert.DoesNotContain(
            resources.EnumerateObject(),
            r => r.Value.GetProperty("type").GetString()!.StartsWith("container", StringComparison.Ordinal));
        Assert.All(["postgres", "temporal-schema"], name => Assert.False(resources.TryGetProperty(name, out _), name));
        Assert.Equal("temporal.prod.internal:7233", resources.GetProperty("temporal").GetProperty("connectionString").GetString());
        Assert.Equal(
            "http://openbao.openbao.svc.cluster.local:8200",
            resources.GetProperty("openbao").GetProperty("connectionString").GetString());
        var worker = resources.GetProperty("worker").GetProperty("env");
        Assert.Equal("{temporal.connectionString}", worker.GetProperty("TEMPORAL_ADDRESS").GetString());
        Assert.Equal("{openbao-token.value}", worker.GetProperty("BAO_TOKEN").GetString());
    }

    private static async Task<JsonDocument> PublishManifestAsync(params string[] appHostArgs)
    {
        var output = Directory.CreateTempSubdirectory("harmony-manifest-");
        try
        {
            var (exitCode, log) = await AppHostCommand.RunAsync(
                ["--publisher", "manifest", "--output-path", output.FullName, "--clear-cache", "true", .. appHostArgs]);

            Assert.True(exitCode == 0, log);
            Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
            return JsonDocument.Parse(await File.ReadAllTextAsync(
                Path.Combine(output.FullName, "aspire-manifest.json"), TestContext.Current.CancellationToken));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
