using System.Text.Json;
using Harmony.Core.Catalog;
using Harmony.Core.Contexts;

namespace Harmony.Tests.Core;

/// <summary>The built-in catalog is honest: its examples pass its own schemas, and every recipe builds.</summary>
public sealed class BuiltInCatalogTests
{
    private static readonly GoldenContext Context = new("shop", "local", "user:a", "0af7651916cd43dd8448eb211c80319c");

    public static TheoryData<string> CapabilityIds => [.. BuiltInCatalog.Default.Capabilities.Select(c => c.Id)];

    public static TheoryData<string> BlueprintIds => [.. BuiltInCatalog.Default.Blueprints.Select(b => b.Id)];

    [Theory]
    [MemberData(nameof(CapabilityIds))]
    public void Capability_ExamplesMatchSchemasAndRecipeBuilds(string id)
    {
        Assert.True(BuiltInCatalog.Default.TryGetCapability(id, out var capability));

        Assert.Empty(capability.InputSchema.Validate(capability.ExampleInput));
        Assert.Empty(capability.OutputSchema.Validate(capability.ExampleOutput));
        var secretNames = SecretNames(capability);
        var spec = capability.BuildContainer(new ContainerRequest(Context, null, secretNames, capability.ExampleInput));
        Assert.Contains(":", spec.Image, StringComparison.Ordinal);
        Assert.NotEmpty(spec.Args);
        Assert.All(spec.SecretEnvironment.Values.Concat(spec.SecretFiles.Values), name => Assert.Contains(name, secretNames));
    }

    [Theory]
    [MemberData(nameof(BlueprintIds))]
    public void Blueprint_ExampleMatchesSchemaAndCapabilitiesExist(string id)
    {
        Assert.True(BuiltInCatalog.Default.TryGetBlueprint(id, out var blueprint));

        Assert.Empty(blueprint.InputSchema.Validate(blueprint.ExampleInput));
        Assert.All(blueprint.CapabilityIds, c => Assert.True(BuiltInCatalog.Default.TryGetCapability(c, out _)));
    }

    [Fact]
    public void Catalog_HasTheDemoPairTheBlueprintsAndRealCapabilities()
    {
        var catalog = BuiltInCatalog.Default;

        Assert.True(catalog.TryGetCapability("golden.echo", out _));
        Assert.True(catalog.TryGetCapability("golden.math_add", out _));
        Assert.True(catalog.TryGetBlueprint("workflows.math_pipeline", out var pipeline));
        Assert.Equal("mathPipelineWorkflow", pipeline.WorkflowType);
        Assert.True(catalog.Capabilities.Count(c => !c.Tags.Contains("demo")) >= 4);
        Assert.Contains(catalog.Capabilities, c => c.Security.DataClassification == DataClassification.Restricted);
        Assert.Contains(catalog.Capabilities, c => c.Security.DataClassification == DataClassification.Confidential);
    }

    [Fact]
    public void Echo_PassesTheValueAsJsonTextSoNoQuotingChangesIt()
    {
        Assert.True(BuiltInCatalog.Default.TryGetCapability("golden.echo", out var echo));
        var input = JsonDocument.Parse("""{"x":{"s":"it's \"quoted\" $HOME `x`","n":[1,2.5]}}""").RootElement;

        var spec = echo.BuildContainer(new ContainerRequest(Context, null, new HashSet<string>(), input));

        Assert.Equal(input.GetProperty("x").GetRawText(), spec.Environment["HARMONY_X"]);
        Assert.DoesNotContain(spec.Args, arg => arg.Contains("HOME", StringComparison.Ordinal) && !arg.Contains("HARMONY", StringComparison.Ordinal));
    }

    [Fact]
    public void GitHubRequest_TokenIsASecretVariableNeverPlainEnvironmentOrArgument()
    {
        Assert.True(BuiltInCatalog.Default.TryGetCapability("golden.github_request", out var github));

        var spec = github.BuildContainer(new ContainerRequest(Context, null, new HashSet<string> { "githubToken" }, github.ExampleInput));

        Assert.Equal("githubToken", spec.SecretEnvironment["GH_TOKEN"]);
        Assert.DoesNotContain("GH_TOKEN", spec.Environment.Keys);
    }

    [Fact]
    public void PostgresQuery_StackedStatements_AreRefusedByTheInputSchema()
    {
        Assert.True(BuiltInCatalog.Default.TryGetCapability("golden.postgres_query", out var postgres));

        // After COMMIT a second transaction would start read-write: the one-statement rule is what stops it.
        var errors = postgres.InputSchema.Validate(JsonDocument.Parse(
            """{"sql":"select 1) s) q; set default_transaction_read_only = off; commit; delete from orders; --"}""").RootElement);

        Assert.Contains(errors, e => e.Path == "/sql" && e.Keyword == "pattern");
    }

    [Fact]
    public async Task HttpProbe_RefusedConnection_IsAProbeResultNotAFailedRun()
    {
        var curl = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "curl")).FirstOrDefault(File.Exists);
        Assert.SkipWhen(curl is null || !File.Exists("/bin/sh"), "The recipe is run with the machine's sh and curl; one is missing.");
        Assert.True(BuiltInCatalog.Default.TryGetCapability("golden.http_probe", out var probe));
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var input = JsonDocument.Parse($$"""{"url":"http://127.0.0.1:{{closedPort}}/health","timeoutSeconds":5}""").RootElement;
        var spec = probe.BuildContainer(new ContainerRequest(Context, null, new HashSet<string>(), input));
        var start = new System.Diagnostics.ProcessStartInfo(spec.Args[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in spec.Args.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        var output = JsonDocument.Parse(stdout).RootElement;
        Assert.Empty(probe.OutputSchema.Validate(output));
        Assert.Equal(0, output.GetProperty("response_code").GetInt32());
        Assert.Equal(7, output.GetProperty("exitcode").GetInt32());
    }

    [Fact]
    public void OutboundHosts_AreTheUnionOfEveryCapabilitysHosts()
    {
        var hosts = BuiltInCatalog.Default.OutboundHosts();

        Assert.Equal(
            ["*.svc.cluster.local", "api.github.com", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
            hosts);
    }

    private static HashSet<string> SecretNames(CapabilityDefinition capability) =>
        capability.SecretsSchema?.Json.TryGetProperty("required", out var required) == true
            ? [.. required.EnumerateArray().Select(n => n.GetString()!)]
            : [];
}
