using System.Text;
using Aspire.Hosting.Pipelines;
using Harmony.Core.Catalog;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// Writes the app model as Kubernetes manifests: one folder per resource, the managed services' addresses in one
/// ConfigMap, the Dagger guardrails, and a kustomization that applies them all. A lean stand-in for
/// Aspire.Hosting.Kubernetes, which the package feed we build from does not serve; it writes plain manifests and
/// kustomize, not a Helm chart.
/// </summary>
#pragma warning disable ASPIREPIPELINES001 // The pipeline API is experimental in Aspire 13; it is the only way to add a publish step.
internal static class KubernetesManifestPublisher
{
    public const string StepName = "publish-kubernetes";

    public static async Task PublishAsync(PipelineStepContext context)
    {
        var configuration = context.Services.GetRequiredService<IConfiguration>();
        var settings = KubernetesPublishSettings.From(configuration);
#pragma warning disable ASPIREPIPELINES004 // The output service is experimental; it is how --output-path reaches a step.
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
#pragma warning restore ASPIREPIPELINES004

        var resources = context.Model.GetComputeResources().Where(r => !r.IsExcludedFromPublish()).ToList();
        var resolver = new ManifestValueResolver(new HashSet<IResource>(resources));
        var factory = new WorkloadFactory(settings, resolver, context.ExecutionContext, context.Logger);

        var files = new List<(string File, object Document)>();
        var secretKeys = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var infrastructure = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var workload = await factory.CreateAsync(resource, context.CancellationToken).ConfigureAwait(false);
            files.AddRange(workload.Objects.Select(o => (o.File, (object)o.Object)));
            foreach (var key in workload.SecretKeys)
            {
                (secretKeys.TryGetValue(key, out var users) ? users : secretKeys[key] = new(StringComparer.Ordinal)).Add(resource.Name);
            }

            foreach (var (key, address) in workload.Infrastructure)
            {
                infrastructure[key] = address;
            }
        }

        foreach (var key in infrastructure.Keys.Where(k => string.IsNullOrEmpty(configuration.GetConnectionString(k))))
        {
            context.Logger.LogWarning(
                "The address of {Service} is the default {Address}; publish with --ConnectionStrings:{Service}=<address> or edit {File}.",
                key,
                infrastructure[key],
                key,
                "infrastructure.yaml");
        }

        if (settings.ImageRegistry.Length == 0)
        {
            // A cluster pulls an image named without a registry from Docker Hub's library, where ours are not.
            context.Logger.LogWarning(
                "The service images are named without a registry, so a cluster would pull them from Docker Hub; "
                + "publish with --{Key}=<registry host> after pushing them there.",
                $"{KubernetesPublishSettings.Section}:ImageRegistry");
        }

        files.Insert(0, ("namespace.yaml", new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta
            {
                Name = settings.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = WorkloadFactory.PartOf },
            },
        }));
        if (infrastructure.Count > 0)
        {
            files.Insert(1, ("infrastructure.yaml", new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = factory.Metadata(WorkloadFactory.InfrastructureConfigMapName, new Dictionary<string, string>
                {
                    ["app.kubernetes.io/part-of"] = WorkloadFactory.PartOf,
                }),
                Data = new Dictionary<string, string>(infrastructure),
            }));
        }

        var guardrails = DaggerGuardrails.For(BuiltInCatalog.Default);
        files.AddRange(guardrails.Select(g => ($"dagger/{g.File}", (object)g.Object)));
        files.Add(("dagger/kustomization.yaml", new Kustomization { Resources = [.. guardrails.Select(g => g.File)] }));
        files.Add(("kustomization.yaml", new Kustomization
        {
            Resources = [.. files.Select(f => f.File).Where(f => !f.StartsWith("dagger/", StringComparison.Ordinal)), "dagger"],
        }));

        Directory.CreateDirectory(output);
        foreach (var (file, document) in files)
        {
            var path = Path.Combine(output, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, KubernetesYaml.Serialize(document) + "\n", context.CancellationToken).ConfigureAwait(false);
        }

        // An earlier publish of another topology may have left manifests here that kustomize will not apply but a
        // `kubectl apply -f -R` would.
        var written = files.Select(f => Path.GetFullPath(Path.Combine(output, f.File))).ToHashSet(StringComparer.Ordinal);
        var stale = Directory.EnumerateFiles(output, "*.yaml", SearchOption.AllDirectories)
            .Where(file => !written.Contains(Path.GetFullPath(file)))
            .Select(file => Path.GetRelativePath(output, file))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (stale.Count > 0)
        {
            context.Logger.LogWarning(
                "{Output} holds manifests this publish did not write, which the kustomization leaves out: {Files}.",
                output,
                string.Join(", ", stale));
        }

        await File.WriteAllTextAsync(
            Path.Combine(output, "README.md"),
            Readme(settings, infrastructure, secretKeys),
            context.CancellationToken).ConfigureAwait(false);

        context.Logger.LogInformation(
            "Wrote {Count} Kubernetes manifests for namespace {Namespace} to {Output}; apply with kubectl apply -k {Output} after creating the Secret {Secret}.",
            files.Count,
            settings.Namespace,
            output,
            output,
            WorkloadFactory.SecretName);
    }

    /// <summary>What the platform team must provide before applying: the Secret's keys and the services' addresses.</summary>
    private static string Readme(
        KubernetesPublishSettings settings,
        IReadOnlyDictionary<string, string> infrastructure,
        IReadOnlyDictionary<string, SortedSet<string>> secretKeys)
    {
        var text = new StringBuilder();
        text.AppendLine("# Harmony on Kubernetes").AppendLine();
        text.AppendLine("Written by `Harmony.AppHost` publishing; regenerate rather than edit, except `infrastructure.yaml`.").AppendLine();
        text.AppendLine("## Before `kubectl apply -k .`").AppendLine();
        text.AppendLine($"1. Create the Secret `{WorkloadFactory.SecretName}` in namespace `{settings.Namespace}` (this output never holds secret values):");
        text.AppendLine().AppendLine("   ```sh");
        text.AppendLine($"   kubectl create namespace {settings.Namespace} --dry-run=client -o yaml | kubectl apply -f -");
        text.Append($"   kubectl -n {settings.Namespace} create secret generic {WorkloadFactory.SecretName}");
        foreach (var key in secretKeys.Keys)
        {
            text.Append(" \\").AppendLine().Append($"     --from-literal={key}=...");
        }

        text.AppendLine().AppendLine("   ```").AppendLine();
        foreach (var (key, users) in secretKeys)
        {
            text.AppendLine($"   - `{key}`: read by {string.Join(", ", users)}");
        }

        var step = 2;
        if (infrastructure.Count > 0)
        {
            text.AppendLine().AppendLine($"{step++}. Check the managed services' addresses in `infrastructure.yaml`:").AppendLine();
            foreach (var (key, address) in infrastructure)
            {
                text.AppendLine($"   - `{key}` = `{address}`: {ManagedServices.Describe(key)}");
            }
        }

        text.AppendLine().AppendLine(
            $"{step}. Push the service images these manifests name (`dotnet publish /t:PublishContainer`, "
            + "see docs/kubernetes.md).");
        text.AppendLine().AppendLine(
            "The Services are ClusterIP only: expose the MCP server (Service `mcp`, port `http`) through the cluster's "
            + "Ingress or Gateway. Its replicas are stateless: no sticky sessions are needed.");
        text.AppendLine().AppendLine("`dagger/` holds the guardrails of the Dagger execution namespace; apply it alone with `kubectl apply -k dagger`.");
        return text.ToString();
    }
}
#pragma warning restore ASPIREPIPELINES001
