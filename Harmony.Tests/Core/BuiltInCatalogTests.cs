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
