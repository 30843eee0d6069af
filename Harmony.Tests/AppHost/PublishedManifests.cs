using Harmony.AppHost.Kubernetes;
using k8s;
using k8s.Models;

namespace Harmony.Tests.AppHost;

/// <summary>
/// The output of <c>dotnet run --project Harmony.AppHost -- --operation publish --step publish --output-path dir</c>,
/// run for real, each document read back as the Kubernetes object it claims to be.
/// </summary>
public sealed class PublishedManifests
{
    private static readonly Dictionary<string, Type> CustomKinds = new(StringComparer.Ordinal)
    {
        ["keda.sh/v1alpha1/ScaledObject"] = typeof(KedaScaledObject),
        ["cilium.io/v2/CiliumNetworkPolicy"] = typeof(CiliumNetworkPolicy),
    };

    private PublishedManifests(string directory, string log, IReadOnlyList<(string File, object Document)> documents)
    {
        Directory = directory;
        Log = log;
        Documents = documents;
    }

    public string Directory { get; }

    public string Log { get; }

    /// <summary>Every YAML document but the kustomizations, with its path relative to <see cref="Directory"/>.</summary>
    public IReadOnlyList<(string File, object Document)> Documents { get; }

    public static async Task<PublishedManifests> PublishAsync(string directory, params string[] appHostArgs)
    {
        // --clear-cache keeps Aspire from reading or writing its deployment state (~/.aspire/deployments), so neither a
        // developer's earlier publish nor these sentinel values cross over.
        var (exitCode, log) = await AppHostCommand.RunAsync(
            ["--operation", "publish", "--step", "publish", "--output-path", directory, "--clear-cache", "true", .. appHostArgs]);
        Assert.True(exitCode == 0, log);
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);

        var documents = new List<(string, object)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(path) == "kustomization.yaml")
            {
                continue;
            }

            var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            foreach (var document in KubernetesYaml.LoadAllFromString(text, CustomKinds))
            {
                documents.Add((Path.GetRelativePath(directory, path).Replace('\\', '/'), document));
            }
        }

        return new PublishedManifests(directory, log, documents);
    }

    public IEnumerable<T> All<T>() => Documents.Select(d => d.Document).OfType<T>();

    public T Single<T>(string name)
        where T : IMetadata<V1ObjectMeta> => Assert.Single(All<T>(), o => o.Metadata.Name == name);

    public string Read(string file) => File.ReadAllText(Path.Combine(Directory, file));

    /// <summary>The workloads' containers, by the name of the Deployment or Job that runs them.</summary>
    public IReadOnlyDictionary<string, V1PodTemplateSpec> PodTemplates() =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(All<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template)))
            .ToDictionary(t => t.Item1, t => t.Item2);

    /// <summary>
    /// The environment a container of this output sees, as names to where each value comes from: a literal (from its
    /// ConfigMap or its own list), <c>configmap:name/key</c> or <c>secret:name/key</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var configMap = Single<V1ConfigMap>(source.ConfigMapRef.Name);
            foreach (var (key, value) in configMap.Data)
            {
                environment[key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => variable.Value,
                { ConfigMapKeyRef: { } reference } => $"configmap:{reference.Name}/{reference.Key}",
                { SecretKeyRef: { } reference } => $"secret:{reference.Name}/{reference.Key}",
                _ => throw new InvalidOperationException($"{variable.Name} has a source these tests do not know."),
            };
        }

        return environment;
    }
}

/// <summary>Publishes once for managed infrastructure, once with in-cluster dev copies and once with no settings at all.</summary>
public sealed class PublishedManifestsFixture : IAsyncLifetime
{
    public const string Registry = "registry.example.com:5000";
    public const string RepositoryPrefix = "platform";
    public const string Tag = "2.3.4";
    public const string TemporalAddress = "temporal.prod.internal:7233";
    public const string KeycloakAuthority = "https://sso.example.com/realms/harmony";

    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("harmony-k8s-");

    /// <summary>Values given to every secret parameter, which must appear nowhere in the output.</summary>
    public IReadOnlyDictionary<string, string> SecretValues { get; } = new[]
    {
        "mcp-envelope-secret", "openbao-token", "postgres-password", "keycloak-admin-password", "keycloak-agent-secret",
        "keycloak-dev-user-password",
    }.ToDictionary(name => name, name => $"sentinel-{name}-{Guid.NewGuid():N}");

    public PublishedManifests Managed { get; private set; } = null!;

    public PublishedManifests InCluster { get; private set; } = null!;

    public PublishedManifests Default { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        string[] secrets = [.. SecretValues.Select(s => $"--Parameters:{s.Key}={s.Value}")];
        var managed = PublishedManifests.PublishAsync(
            Path.Combine(_root.FullName, "managed"),
            [
                $"--Harmony:Kubernetes:ImageRegistry={Registry}",
                $"--Harmony:Kubernetes:ImageRepositoryPrefix={RepositoryPrefix}",
                $"--Harmony:Kubernetes:ImageTag={Tag}",
                $"--ConnectionStrings:temporal={TemporalAddress}",
                $"--ConnectionStrings:keycloak={KeycloakAuthority}",
                .. secrets,
            ]);
        var inCluster = PublishedManifests.PublishAsync(
            Path.Combine(_root.FullName, "in-cluster"), ["--Harmony:Kubernetes:InClusterInfrastructure=true", .. secrets]);
        var defaults = PublishedManifests.PublishAsync(Path.Combine(_root.FullName, "default"));
        (Managed, InCluster, Default) = (await managed, await inCluster, await defaults);
    }

    public ValueTask DisposeAsync()
    {
        _root.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
