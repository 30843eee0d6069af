using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harmony.AppHost.Kubernetes;
using Harmony.Core.Catalog;
using Harmony.Tests.Infrastructure;
using k8s.Models;

namespace Harmony.Tests.AppHost;

/// <summary>Publishing the AppHost as Kubernetes manifests, run for real: it needs no container runtime.</summary>
public sealed class KubernetesPublishTests(PublishedManifestsFixture published) : IClassFixture<PublishedManifestsFixture>
{
    private const string IdentityDefault = "identity defaults, used only for calls with neither token nor envelope";
    private const string DaggerReach = "how the worker reaches Dagger depends on the engine's deployment";

    // Keys the services read that publishing leaves unset on purpose: their defaults are right in the cluster, or only
    // the platform knows the value. Every other key a settings reader reads must be set.
    private static readonly Dictionary<string, string> UnsetByDesign = new(StringComparer.Ordinal)
    {
        ["MCP_REQUIRE_ENVELOPE"] = "false by default: over HTTP a Keycloak token identifies the caller",
        ["MCP_INITIATOR_ID"] = IdentityDefault,
        ["MCP_ROLES"] = IdentityDefault,
        ["MCP_TOKEN_REF"] = IdentityDefault,
        ["MCP_COST_CENTER"] = IdentityDefault,
        ["MCP_DATA_CLASSIFICATION"] = IdentityDefault,
        ["Harmony__Auth__Resource"] = "the MCP server's public URL, which only the platform's ingress knows",
        ["Harmony__Auth__AllowHttpMetadata"] = "only the in-cluster dev Keycloak serves metadata over plain HTTP",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "the platform's OpenTelemetry collector; without it nothing is exported",
        ["WORKER_MAX_CONCURRENT_ACTIVITIES"] = "10 capability runs per worker suits one Dagger engine; more replicas come from KEDA",
        ["DAGGER_CLI"] = DaggerReach,
        ["DAGGER_SESSION_PORT"] = DaggerReach,
        ["DAGGER_SESSION_TOKEN"] = DaggerReach,
    };

    // configuration["KEY"] and the readers' helpers, Read(configuration, "KEY", ...).
    private static readonly Regex ConfigurationKey =
        new(
            """(?:[cC]onfiguration\[\s*"(?<key>[^"]+)"\s*\]|\(\s*configuration\s*,\s*"(?<key>[^"]+)")""",
            RegexOptions.None,
            TimeSpan.FromSeconds(1));

    // The trigger metadata KEDA's temporal scaler reads (kedacore/keda pkg/scalers/temporal_scaler.go, 2.17 to 2.20;
    // a name with FromEnv reads the value from the scale target's container environment).
    private static readonly HashSet<string> TemporalScalerMetadata =
    [
        "endpoint", "endpointFromEnv", "namespace", "namespaceFromEnv", "taskQueue", "taskQueueFromEnv", "queueTypes",
        "targetQueueSize", "activationTargetQueueSize", "minConnectTimeout", "unsafeSsl", "tlsServerName",
        "workerDeploymentName", "workerDeploymentBuildId",
    ];

    public static TheoryData<string> Variants => ["managed", "in-cluster", "default"];

    private PublishedManifests Variant(string name) => name switch
    {
        "managed" => published.Managed,
        "in-cluster" => published.InCluster,
        _ => published.Default,
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Publish_EveryDocument_PassesKubernetesSchemaValidation(string variant)
    {
        var output = Variant(variant);

        var results = await KubernetesSchemaValidator.AssertValidAsync(output.Directory, TestContext.Current.CancellationToken);

        // The kustomizations are checked too: every file they name exists.
        Assert.Equal(output.Documents.Count + 2, results.Count);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Publish_Kustomization_AppliesEveryManifestWritten(string variant)
    {
        var output = Variant(variant);

        var top = ResourcesOf(output, "kustomization.yaml");
        var dagger = ResourcesOf(output, "dagger/kustomization.yaml").Select(f => $"dagger/{f}");

        Assert.Contains("dagger", top);
        Assert.Equal(
            output.Documents.Select(d => d.File).Distinct().Order(StringComparer.Ordinal),
            top.Where(f => f != "dagger").Concat(dagger).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Publish_ManagedInfrastructure_RunsOnlyTheServicesAndNamesTheRestByAddress()
    {
        var output = published.Managed;

        Assert.Equal(["mcp", "worker"], output.PodTemplates().Keys.Order(StringComparer.Ordinal));
        var infrastructure = output.Single<V1ConfigMap>(WorkloadFactory.InfrastructureConfigMapName).Data;
        Assert.Equal(["keycloak", "openbao", "temporal", "temporal-ui"], infrastructure.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(PublishedManifestsFixture.TemporalAddress, infrastructure["temporal"]);
        Assert.Equal(PublishedManifestsFixture.KeycloakAuthority, infrastructure["keycloak"]);
        Assert.Equal(ManagedServices.DefaultAddress("openbao"), infrastructure["openbao"]);
        Assert.Contains("The address of openbao is the default", output.Log, StringComparison.Ordinal);

        var mcp = output.Environment(Container(output, "mcp"));
        Assert.Equal($"configmap:{WorkloadFactory.InfrastructureConfigMapName}/temporal", mcp["TEMPORAL_ADDRESS"]);
        Assert.Equal($"configmap:{WorkloadFactory.InfrastructureConfigMapName}/keycloak", mcp["Harmony__Auth__Authority"]);

        // A managed Keycloak is reached over HTTPS; only the in-cluster dev copy may serve metadata over plain HTTP.
        Assert.DoesNotContain("Harmony__Auth__AllowHttpMetadata", mcp.Keys);
    }

    [Fact]
    public void Publish_InClusterInfrastructure_RunsDevCopiesWithTheirFilesAsConfigMaps()
    {
        var output = published.InCluster;

        Assert.Equal(
            ["keycloak", "mcp", "openbao", "postgres", "temporal", "temporal-namespace", "temporal-schema", "temporal-ui", "worker"],
            output.PodTemplates().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["temporal-namespace", "temporal-schema"], output.All<V1Job>().Select(j => j.Metadata.Name).Order(StringComparer.Ordinal));

        // A finished Job goes away, so that applying a changed output does not hit the Job's immutable pod template.
        Assert.All(output.All<V1Job>(), job => Assert.True(job.Spec.TtlSecondsAfterFinished > 0, job.Metadata.Name));
        Assert.DoesNotContain(output.PodTemplates().Values.SelectMany(t => t.Spec.Volumes ?? []), v => v.HostPath is not null);

        // Keycloak imports the realm kept in the repository, mounted from a ConfigMap rather than the publishing machine.
        var keycloak = output.PodTemplates()["keycloak"].Spec;
        var import = Assert.Single(keycloak.Containers[0].VolumeMounts, m => m.MountPath == "/opt/keycloak/data/import");
        var realm = output.Single<V1ConfigMap>(Assert.Single(keycloak.Volumes, v => v.Name == import.Name).ConfigMap.Name);
        var repositoryRealm = File.ReadAllText(Path.Combine(RepositoryRoot, "Harmony.AppHost", "Keycloak", "realms", "harmony-realm.json"));
        Assert.Equal(repositoryRealm, realm.Data["harmony-realm.json"]);
        Assert.Equal(["start-dev", "--import-realm"], keycloak.Containers[0].Args);

        // The services reach the copies through their Services, named after the resources.
        var mcp = output.Environment(Container(output, "mcp"));
        Assert.Equal("temporal:7233", mcp["TEMPORAL_ADDRESS"]);
        Assert.Equal("http://keycloak:8080/realms/harmony", mcp["Harmony__Auth__Authority"]);
        Assert.Equal("true", mcp["Harmony__Auth__AllowHttpMetadata"]);
        Assert.Equal("http://openbao:8200", output.Environment(Container(output, "worker"))["BAO_ADDR"]);
        Assert.Equal("postgres", output.Environment(Container(output, "temporal"))["POSTGRES_SEEDS"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Publish_Selectors_MatchThePodsTheyMean(string variant)
    {
        var output = Variant(variant);
        var pods = output.PodTemplates();

        foreach (var deployment in output.All<V1Deployment>())
        {
            Assert.Subset(Pairs(deployment.Spec.Template.Metadata.Labels), Pairs(deployment.Spec.Selector.MatchLabels));
        }

        foreach (var service in output.All<V1Service>())
        {
            var (name, pod) = Assert.Single(pods, p => Pairs(service.Spec.Selector).IsSubsetOf(Pairs(p.Value.Metadata.Labels)));
            Assert.Equal(service.Metadata.Name, name);
            var ports = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => p.Name).ToHashSet();
            Assert.All(service.Spec.Ports, port => Assert.Contains(port.TargetPort.Value, ports));
        }

        foreach (var budget in output.All<V1PodDisruptionBudget>())
        {
            var (name, _) = Assert.Single(
                pods, p => Pairs(budget.Spec.Selector.MatchLabels).IsSubsetOf(Pairs(p.Value.Metadata.Labels)));
            Assert.Equal(budget.Metadata.Name, name);
        }

        var scaledObject = Assert.Single(output.All<KedaScaledObject>());
        Assert.Equal("Deployment", scaledObject.Spec.ScaleTargetRef.Kind);
        Assert.Contains(output.All<V1Deployment>(), d => d.Metadata.Name == scaledObject.Spec.ScaleTargetRef.Name);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Publish_Services_EveryVariableTheyReadIsSetAndEveryReferenceResolves(string variant)
    {
        var output = Variant(variant);
        var readme = output.Read("README.md");

        // The README's steps are numbered without gaps, whichever of them this topology needs.
        var steps = Regex.Matches(readme, @"^(\d+)\. ", RegexOptions.Multiline, TimeSpan.FromSeconds(1))
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, steps.Count()), steps);

        foreach (var (service, project) in new[] { ("mcp", "Harmony.Mcp"), ("worker", "Harmony.Worker") })
        {
            var environment = output.Environment(Container(output, service));
            var knobs = KeysRead(project).Where(key => !UnsetByDesign.ContainsKey(key)).ToList();
            Assert.All(knobs, knob => Assert.True(environment.ContainsKey(knob), $"{service} lacks {knob}"));
            foreach (var (variable, source) in environment)
            {
                if (source.StartsWith("configmap:", StringComparison.Ordinal))
                {
                    var (name, key) = Split(source["configmap:".Length..]);
                    Assert.True(output.Single<V1ConfigMap>(name).Data.ContainsKey(key), $"{service} {variable}: {source}");
                }
                else if (source.StartsWith("secret:", StringComparison.Ordinal))
                {
                    var (name, key) = Split(source["secret:".Length..]);
                    Assert.Equal(WorkloadFactory.SecretName, name);
                    Assert.Contains($"--from-literal={key}=", readme, StringComparison.Ordinal);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Publish_Output_HoldsNoSecretValue(string variant)
    {
        var output = Variant(variant);

        Assert.Empty(output.All<V1Secret>());
        foreach (var file in Directory.EnumerateFiles(output.Directory, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.All(published.SecretValues, secret => Assert.DoesNotContain(secret.Value, text, StringComparison.Ordinal));
        }

        var mcp = output.Environment(Container(output, "mcp"));
        Assert.Equal($"secret:{WorkloadFactory.SecretName}/mcp-envelope-secret", mcp["MCP_ENVELOPE_HMAC_SECRET"]);
        Assert.Equal($"secret:{WorkloadFactory.SecretName}/openbao-token", output.Environment(Container(output, "worker"))["BAO_TOKEN"]);
    }

    [Theory]
    [InlineData("managed", PublishedManifestsFixture.Registry, PublishedManifestsFixture.RepositoryPrefix, PublishedManifestsFixture.Tag)]
    [InlineData("default", null, null, null)]
    public async Task Publish_ServiceImages_AreTheOnesContainerPublishBuilds(string variant, string? registry, string? prefix, string? tag)
    {
        var output = Variant(variant);

        foreach (var (service, project) in new[] { ("mcp", new Projects.Harmony_Mcp().ProjectPath), ("worker", new Projects.Harmony_Worker().ProjectPath) })
        {
            var repository = prefix is null ? null : $"{prefix}/harmony-{service}";
            var expected = await ContainerPublishImageAsync(project, registry, repository, tag);
            Assert.Equal(expected, Container(output, service).Image);
        }

        // Without a registry a cluster would look for the images on Docker Hub: publishing says so.
        Assert.Equal(
            registry is null, output.Log.Contains("The service images are named without a registry", StringComparison.Ordinal));

        // The worker reports the build it runs to Temporal by the same tag.
        var image = Container(output, "worker").Image;
        Assert.Equal(image[(image.LastIndexOf(':') + 1)..], output.Environment(Container(output, "worker"))["WORKER_BUILD_ID"]);
    }

    [Fact]
    public void Publish_Worker_ScalesOnTaskQueueBacklogAndDrainsInFlightWorkBeforeItIsKilled()
    {
        var output = published.Managed;
        var worker = output.Single<V1Deployment>("worker");
        var environment = output.Environment(Container(output, "worker"));

        var trigger = Assert.Single(output.Single<KedaScaledObject>("worker").Spec.Triggers);
        Assert.Equal("temporal", trigger.Type);
        Assert.Equal(environment["TEMPORAL_TASK_QUEUE"], trigger.Metadata["taskQueue"]);
        Assert.Equal(environment["TEMPORAL_NAMESPACE"], trigger.Metadata["namespace"]);
        Assert.Equal("workflow,activity", trigger.Metadata["queueTypes"]);
        Assert.True(environment.ContainsKey(trigger.Metadata["endpointFromEnv"]));

        // KEDA ignores metadata it does not know, so a misspelt key would silently fall back to its default.
        Assert.Subset(TemporalScalerMetadata, trigger.Metadata.Keys.ToHashSet(StringComparer.Ordinal));

        // Scaling down waits and goes one pod at a time: a short backlog does not mean the workers are idle.
        var advanced = output.Single<KedaScaledObject>("worker").Spec.Advanced;
        var scaleDown = advanced!.HorizontalPodAutoscalerConfig!.Behavior!.ScaleDown;
        Assert.True(scaleDown.StabilizationWindowSeconds >= 60);
        Assert.Equal(("Pods", 1), (Assert.Single(scaleDown.Policies).Type, Assert.Single(scaleDown.Policies).Value));

        // The autoscaler owns the replica count: a count in the Deployment would undo its scaling on every apply.
        Assert.Null(worker.Spec.Replicas);

        var drain = int.Parse(environment["WORKER_SHUTDOWN_GRACE_SECONDS"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(drain >= BuiltInCatalog.Default.Capabilities.Max(c => c.Operations.Timeout).TotalSeconds);
        // The host waits 5 s beyond the drain before it exits.
        Assert.True(worker.Spec.Template.Spec.TerminationGracePeriodSeconds > drain + 5);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Publish_Mcp_RunsTwoStatelessReplicasAndKeepsOneThroughADrain(string variant)
    {
        var output = Variant(variant);
        var mcp = output.Single<V1Deployment>("mcp");

        // Replicas without session affinity are sound only because no request depends on an earlier one's session.
        Assert.Equal(2, mcp.Spec.Replicas);
        Assert.Equal("true", output.Single<V1ConfigMap>("mcp-config").Data["MCP_HTTP_STATELESS"]);
        Assert.Equal("true", output.Environment(Container(output, "mcp"))["MCP_HTTP_STATELESS"]);

        var budget = Assert.Single(output.All<V1PodDisruptionBudget>());
        Assert.Equal(("policy/v1", "mcp"), (budget.ApiVersion, budget.Metadata.Name));
        Assert.Equal("1", budget.Spec.MinAvailable.Value);

        // A count, not the string "1", which the API server would read as a malformed percentage.
        Assert.Contains("minAvailable: 1\n", output.Read("mcp/poddisruptionbudget.yaml"), StringComparison.Ordinal);
        Assert.Null(budget.Spec.MaxUnavailable);
        Assert.Equal(mcp.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        var file = Assert.Single(output.Documents, d => ReferenceEquals(d.Document, budget)).File;
        Assert.Equal("mcp/poddisruptionbudget.yaml", file);
    }

    [Theory]
    [InlineData("mcp")]
    [InlineData("worker")]
    public void Publish_Service_RunsNonRootReadOnlyWithLimitsAndProbesOnTheHealthEndpoints(string service)
    {
        var output = published.Managed;
        var pod = output.Single<V1Deployment>(service).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal(["cpu", "memory"], container.Resources.Requests.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/tmp");

        Assert.Equal(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath, container.ReadinessProbe.HttpGet.Path);
        Assert.Equal(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath, container.LivenessProbe.HttpGet.Path);
        Assert.Equal(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath, container.StartupProbe.HttpGet.Path);
        var port = Assert.Single(container.Ports);
        Assert.Equal(port.Name, container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal(port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Environment(container)["HTTP_PORTS"]);
        Assert.Equal(service, output.Environment(container)["OTEL_SERVICE_NAME"]);
    }

    [Fact]
    public async Task Publish_IntoAnEarlierOutput_NamesTheManifestsItLeftOut()
    {
        var directory = Directory.CreateTempSubdirectory("harmony-k8s-stale-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "postgres"));
            await File.WriteAllTextAsync(
                Path.Combine(directory.FullName, "postgres", "deployment.yaml"),
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: postgres}\n",
                TestContext.Current.CancellationToken);

            var output = await PublishedManifests.PublishAsync(directory.FullName);

            Assert.Contains("which the kustomization leaves out: postgres/deployment.yaml.", output.Log, StringComparison.Ordinal);
            Assert.DoesNotContain("postgres/deployment.yaml", ResourcesOf(output, "kustomization.yaml"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void DaggerGuardrails_CommittedFiles_AreWhatPublishingWritesFromTheCatalog()
    {
        var committed = Path.Combine(RepositoryRoot, "k8s", "dagger");
        var written = Path.Combine(published.Default.Directory, "dagger");

        Assert.Equal(FileNames(written), FileNames(committed));
        foreach (var file in FileNames(written))
        {
            Assert.True(
                File.ReadAllText(Path.Combine(written, file)) == File.ReadAllText(Path.Combine(committed, file)),
                $"k8s/dagger/{file} differs from what the catalog gives. Regenerate it: dotnet run --project Harmony.AppHost -- "
                + "--operation publish --step publish --output-path <dir>, then copy <dir>/dagger/ to k8s/dagger/.");
        }
    }

    [Fact]
    public void DaggerGuardrails_Allowlist_IsExactlyTheCatalogsOutboundHostsAndDns()
    {
        var hosts = ((IEnumerable<string>)[.. BuiltInCatalog.Default.OutboundHosts(), "hooks.slack.com", "*.example.org"]).ToList();
        var catalog = new HarmonyCatalog([.. BuiltInCatalog.Default.Capabilities, Notifier(["hooks.slack.com", "*.example.org"])], []);

        var allowlist = Assert.IsType<CiliumNetworkPolicy>(
            Assert.Single(DaggerGuardrails.For(catalog), g => g.File == "cilium-networkpolicy-allowlist.yaml").Object);

        var fqdns = allowlist.Spec.Egress.SelectMany(rule => rule.ToFQDNs ?? []).ToList();
        Assert.Equal(
            hosts.Order(StringComparer.Ordinal),
            fqdns.Select(f => f.MatchName ?? f.MatchPattern![1..]).Order(StringComparer.Ordinal));

        // The catalog's *.example.org is any name below example.org, which Cilium writes **.example.org.
        var pattern = Assert.Single(fqdns, f => f.MatchPattern?.EndsWith(".example.org", StringComparison.Ordinal) == true);
        Assert.Equal("**.example.org", pattern.MatchPattern);
        Assert.All(fqdns, f => Assert.True(f.MatchName is null != (f.MatchPattern is null)));
        var dns = Assert.Single(allowlist.Spec.Egress, rule => rule.ToEndpoints is not null);
        Assert.Equal("53", Assert.Single(Assert.Single(dns.ToPorts!).Ports).Port);
    }

    [Fact]
    public void DaggerGuardrails_PolicyBinding_SelectsTheNamespaceItLabels()
    {
        var output = published.Default;
        var dagger = output.Single<V1Namespace>(DaggerGuardrails.Namespace);
        var policy = Assert.Single(output.All<V1ValidatingAdmissionPolicy>());
        var binding = Assert.Single(output.All<V1ValidatingAdmissionPolicyBinding>());

        Assert.Equal(policy.Metadata.Name, binding.Spec.PolicyName);
        Assert.Equal(["Deny"], binding.Spec.ValidationActions);
        Assert.Subset(Pairs(dagger.Metadata.Labels), Pairs(binding.Spec.MatchResources.NamespaceSelector.MatchLabels));

        // What the expression admits is tested by evaluating it (DaggerAdmissionPolicyTests); here, that it is the one
        // published, for every pod created in the namespace, and that it fails closed.
        Assert.Equal(DaggerGuardrails.EphemeralVolumesExpression, Assert.Single(policy.Spec.Validations).Expression);
        Assert.Equal("Fail", policy.Spec.FailurePolicy);
        var rule = Assert.Single(policy.Spec.MatchConstraints.ResourceRules);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["CREATE", "UPDATE"], rule.Operations);
        Assert.All(
            output.Documents.Where(d => d.File.StartsWith("dagger/", StringComparison.Ordinal) && d.Document is IMetadata<V1ObjectMeta>),
            d => Assert.True(
                ((IMetadata<V1ObjectMeta>)d.Document).Metadata.NamespaceProperty is null or DaggerGuardrails.Namespace, d.File));
        Assert.Equal(["Egress"], Assert.Single(output.All<V1NetworkPolicy>()).Spec.PolicyTypes);
    }

    [Fact]
    public void SettingsReaders_KeysRead_IncludeTheKnownOnesAndEveryKeyLeftUnset()
    {
        var mcp = KeysRead("Harmony.Mcp");
        var worker = KeysRead("Harmony.Worker");

        // The scan finds what the readers read, so the published-environment test checks the real list.
        Assert.Subset(
            mcp,
            new HashSet<string> { "TEMPORAL_ADDRESS", "TEMPORAL_UI_URL", "MCP_ENVELOPE_HMAC_SECRET", "Harmony__Auth__Audience" });
        Assert.Subset(
            worker,
            new HashSet<string> { "TEMPORAL_ADDRESS", "BAO_TOKEN", "ENABLE_DAGGER_E2E", "WORKER_SHUTDOWN_GRACE_SECONDS" });
        Assert.Subset(
            mcp.Union(worker).ToHashSet(StringComparer.Ordinal), UnsetByDesign.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// The configuration keys a service's code (and the service defaults it uses) reads, as environment variable names.
    /// </summary>
    private static HashSet<string> KeysRead(string project) =>
    [
        .. new[] { project, "Harmony.ServiceDefaults" }
            .Select(folder => Path.Combine(RepositoryRoot, folder))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(file => Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar)[0]
                    is not ("obj" or "bin")))
            .SelectMany(file => ConfigurationKey.Matches(File.ReadAllText(file)))
            .Select(match => match.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal)),
    ];

    private static string RepositoryRoot => Path.GetDirectoryName(Projects.Harmony_AppHost.ProjectPath)!;

    private static V1Container Container(PublishedManifests output, string workload) =>
        Assert.Single(output.PodTemplates()[workload].Spec.Containers);

    private static HashSet<KeyValuePair<string, string>> Pairs(IDictionary<string, string> labels) => [.. labels];

    private static (string Name, string Key) Split(string reference) =>
        (reference[..reference.IndexOf('/')], reference[(reference.IndexOf('/') + 1)..]);

    private static List<string> FileNames(string directory) =>
        [.. Directory.EnumerateFiles(directory).Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    private static List<string> ResourcesOf(PublishedManifests output, string kustomization)
    {
        var kustomize = k8s.KubernetesYaml.Deserialize<Kustomization>(output.Read(kustomization));
        return [.. kustomize.Resources];
    }

    /// <summary>A capability the built-in catalog lacks, reaching <paramref name="hosts"/>.</summary>
    private static CapabilityDefinition Notifier(IReadOnlyList<string> hosts)
    {
        var echo = BuiltInCatalog.Default.Capabilities.First();
        return new CapabilityDefinition
        {
            Id = "test.notify",
            Version = "1.0.0",
            Name = "Notify",
            Description = "Posts a message.",
            Maintainer = "tests",
            InputSchema = echo.InputSchema,
            OutputSchema = echo.OutputSchema,
            Security = new CapabilitySecurity([], Harmony.Core.Contexts.DataClassification.Internal, hosts),
            Operations = echo.Operations,
            ExampleInput = echo.ExampleInput,
            ExampleOutput = echo.ExampleOutput,
            BuildContainer = echo.BuildContainer,
        };
    }

    /// <summary>
    /// The image <c>dotnet publish /t:PublishContainer</c> pushes for <paramref name="project"/> with the documented
    /// properties, as the .NET SDK's own container targets compute it.
    /// </summary>
    private static async Task<string> ContainerPublishImageAsync(string project, string? registry, string? repository, string? tag)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "msbuild", project, "-t:ComputeContainerConfig", "-getProperty:ContainerRegistry" })
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("-getProperty:ContainerRepository");
        start.ArgumentList.Add("-getProperty:ContainerImageTag");
        if (registry is not null)
        {
            start.ArgumentList.Add($"-p:ContainerRegistry={registry}");
        }

        if (repository is not null)
        {
            start.ArgumentList.Add($"-p:ContainerRepository={repository}");
        }

        if (tag is not null)
        {
            start.ArgumentList.Add($"-p:ContainerImageTag={tag}");
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, stdout + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));

        var properties = JsonDocument.Parse(stdout).RootElement.GetProperty("Properties");
        var prefix = properties.GetProperty("ContainerRegistry").GetString() is { Length: > 0 } r ? $"{r}/" : string.Empty;
        return $"{prefix}{properties.GetProperty("ContainerRepository").GetString()}:{properties.GetProperty("ContainerImageTag").GetString()}";
    }
}
