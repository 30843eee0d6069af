using Aspire.Hosting.ApplicationModel;
using Harmony.AppHost.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace Harmony.Tests.AppHost;

/// <summary>The publisher's own settings, and the values it refuses to write into a manifest.</summary>
public sealed class KubernetesPublishSettingsTests
{
    [Fact]
    public void Settings_NothingConfigured_DefaultNamespaceVersionTagAndManagedInfrastructure()
    {
        var settings = KubernetesPublishSettings.From(Configuration());

        Assert.Equal("harmony", settings.Namespace);
        Assert.Equal("0.1.0", settings.ImageTag);
        Assert.False(settings.InClusterInfrastructure);
        Assert.Equal("harmony-mcp:0.1.0", settings.ImageFor("harmony-mcp"));
    }

    [Fact]
    public void Settings_RegistryAndPrefix_NameTheImageAsContainerPublishDoes()
    {
        var settings = KubernetesPublishSettings.From(Configuration(
            ("ImageRegistry", "ghcr.io/"), ("ImageRepositoryPrefix", "/acme/"), ("ImageTag", "1.2.3")));

        Assert.Equal("ghcr.io/acme/harmony-worker:1.2.3", settings.ImageFor("harmony-worker"));
    }

    [Fact]
    public void Settings_RegistryWithAPath_RefusedWithWhereThePathGoes()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => KubernetesPublishSettings.From(Configuration(("ImageRegistry", "ghcr.io/acme"))));

        Assert.Contains("ImageRepositoryPrefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_SecretInsideALongerValue_RefusedRatherThanWrittenOut()
    {
        var secret = new ParameterResource("db-password", _ => "s3cret", secret: true);
        var resolver = new ManifestValueResolver(new HashSet<IResource>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => resolver.ResolveAsync(
            ReferenceExpression.Create($"Host=db;Password={secret}"), TestContext.Current.CancellationToken));

        Assert.Contains("cannot be part of a longer value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_SecretAsAWholeValue_BecomesASecretKey()
    {
        var secret = new ParameterResource("db-password", _ => "s3cret", secret: true);
        var resolver = new ManifestValueResolver(new HashSet<IResource>());

        var value = await resolver.ResolveAsync(ReferenceExpression.Create($"{secret}"), TestContext.Current.CancellationToken);

        Assert.Equal(new ManifestValue.SecretKey("db-password"), value);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{KubernetesPublishSettings.Section}:{s.Key}", s.Value)))
            .Build();
}
