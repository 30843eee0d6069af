namespace Harmony.Tests.Infrastructure;

/// <summary>
/// The Kubernetes schema validator itself, on small manifests written to a temporary directory: it passes what a
/// cluster accepts and fails, with the JSON path, what a cluster would reject, so a passing manifest test means
/// something.
/// </summary>
public sealed class KubernetesSchemaValidatorTests : IDisposable
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app.kubernetes.io/name: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app.kubernetes.io/name: web}
          template:
            metadata:
              labels: {app.kubernetes.io/name: web}
            spec:
              containers:
                - name: web
                  image: ghcr.io/example/web:1.0.0
                  ports: [{name: http, containerPort: 8080}]
                  readinessProbe:
                    httpGet: {path: /health, port: http}
                  resources:
                    requests: {cpu: 100m, memory: 64Mi}
                    limits: {memory: 128Mi}
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("harmony-k8s-schemas-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Validate_DeploymentAndServiceInOneFile_Pass()
    {
        var path = Write("app/web.yaml", Deployment + """

            ---
            # an empty document, skipped
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              selector: {app.kubernetes.io/name: web}
              ports: [{name: http, port: 80, targetPort: http}]
            """);

        var results = await KubernetesSchemaValidator.AssertValidAsync(_directory.FullName, Ct);

        Assert.Collection(
            results,
            deployment => Assert.Equal((path, 0, "apps/v1", "Deployment", "web"), (deployment.File, deployment.Index, deployment.ApiVersion, deployment.Kind, deployment.Name)),
            service => Assert.Equal((path, 2, "v1", "Service", "web"), (service.File, service.Index, service.ApiVersion, service.Kind, service.Name)));
    }

    [Fact]
    public async Task Validate_ReplicasAsString_FailsWithPath()
    {
        Write("web.yaml", Deployment.Replace("replicas: 2", "replicas: \"two\"", StringComparison.Ordinal));

        var error = Assert.Single(await SingleInvalidAsync());

        Assert.StartsWith("$.spec.replicas: must be integer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ContainerWithoutName_FailsAsRequired()
    {
        Write("web.yaml", Deployment.Replace("- name: web", "- ", StringComparison.Ordinal));

        var error = Assert.Single(await SingleInvalidAsync());

        Assert.Equal("$.spec.template.spec.containers[0]: must have required property \"name\"", error);
    }

    [Fact]
    public async Task Validate_MisspelledField_FailsAsUnknown()
    {
        Write("web.yaml", Deployment.Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal));

        var error = Assert.Single(await SingleInvalidAsync());

        Assert.StartsWith("$.spec.template.spec.containers[0].readinesProbe: unknown field", error, StringComparison.Ordinal);
        Assert.Contains("did you mean \"readinessProbe\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1", "Widget")]
    [InlineData("apps/v2", "Deployment")]
    public async Task Validate_UnknownApiVersionOrKind_Fails(string apiVersion, string kind)
    {
        Write("thing.yaml", $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata: {{name: thing}}\n");

        var error = Assert.Single(await SingleInvalidAsync());

        Assert.StartsWith("$: unknown apiVersion/kind", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_KedaTemporalScaledObjectAndCiliumFqdnPolicy_Pass()
    {
        Write("scaling.yaml", """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata: {name: worker}
            spec:
              scaleTargetRef: {name: worker}
              minReplicaCount: 0
              maxReplicaCount: 10
              triggers:
                - type: temporal
                  metadata:
                    endpoint: temporal-frontend.temporal.svc:7233
                    namespace: default
                    taskQueue: golden-tools
                    targetQueueSize: "5"
                  authenticationRef: {name: temporal}
            ---
            apiVersion: keda.sh/v1alpha1
            kind: TriggerAuthentication
            metadata: {name: temporal}
            spec:
              secretTargetRef:
                - {parameter: apiKey, name: temporal, key: api-key}
            """);
        Write("network.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: worker-egress}
            spec:
              description: The worker reaches GitHub and cluster DNS only.
              endpointSelector:
                matchLabels: {app.kubernetes.io/name: worker}
              egress:
                - toEndpoints:
                    - matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}
                  toPorts:
                    - ports: [{port: "53", protocol: ANY}]
                      rules:
                        dns: [{matchPattern: "*"}]
                - toFQDNs:
                    - matchName: api.github.com
                    - matchPattern: "*.githubusercontent.com"
                  toPorts:
                    - ports: [{port: "443", protocol: TCP}]
            """);

        var results = await KubernetesSchemaValidator.AssertValidAsync(_directory.FullName, Ct);

        Assert.Equal(["CiliumNetworkPolicy", "ScaledObject", "TriggerAuthentication"], results.Select(r => r.Kind));
    }

    [Fact]
    public async Task Validate_ValidatingAdmissionPolicyAndBinding_Pass()
    {
        Write("policy.yaml", """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: harmony-images}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                  - apiGroups: [apps]
                    apiVersions: [v1]
                    operations: [CREATE, UPDATE]
                    resources: [deployments]
              validations:
                - expression: "object.spec.template.spec.containers.all(c, c.image.startsWith('ghcr.io/'))"
                  message: Images come from ghcr.io.
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: harmony-images}
            spec:
              policyName: harmony-images
              validationActions: [Deny]
              matchResources:
                namespaceSelector:
                  matchLabels: {harmony.io/managed: "true"}
            """);

        var results = await KubernetesSchemaValidator.AssertValidAsync(_directory.FullName, Ct);

        Assert.Equal(["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"], results.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("  name: web\n  labels", "  name: Web_1\n  labels", "$.metadata.name: must be a DNS-1123 subdomain")]
    [InlineData("  name: web\n  labels", "  name: web\n  namespace: Harmony\n  labels", "$.metadata.namespace: must be a DNS-1123 label")]
    [InlineData("- name: web", "- name: Web", "$.spec.template.spec.containers[0].name: must be a DNS-1123 label")]
    [InlineData(
        "{name: http,",
        "{name: http-management-port,",
        "$.spec.template.spec.containers[0].ports[0].name: must be an IANA service name")]
    public async Task Validate_NameTheApiServerRefuses_FailsWithPath(string original, string replacement, string expected)
    {
        var yaml = Deployment.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Deployment, yaml);
        Write("web.yaml", yaml);

        var error = Assert.Single(await SingleInvalidAsync());

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SameKindNamespaceAndNameTwice_FailsTheSecond()
    {
        Write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: harmony}\n");
        Write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: harmony}\n");
        Write("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: other}\n");

        var results = await KubernetesSchemaValidator.ValidateAsync(_directory.FullName, Ct);

        var duplicate = Assert.Single(results, r => !r.Ok);
        Assert.EndsWith("b.yaml", duplicate.File, StringComparison.Ordinal);
        Assert.StartsWith(
            "$.metadata.name: the same group, kind, namespace and name as", Assert.Single(duplicate.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_KustomizationNamingMissingFile_Fails()
    {
        Write("base/web.yaml", Deployment);
        Write("base/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [web.yaml, service.yaml]
            """);

        var results = await KubernetesSchemaValidator.ValidateAsync(_directory.FullName, Ct);

        var kustomization = Assert.Single(results, r => !r.Ok);
        Assert.Equal("Kustomization", kustomization.Kind);
        var error = Assert.Single(kustomization.Errors);
        Assert.StartsWith("$.resources[1]: \"service.yaml\" does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_YamlSyntaxError_ThrowsWithFileAndLine()
    {
        var path = Write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KubernetesSchemaValidator.ValidateAsync(path, Ct));

        Assert.Contains($"{path}:4:1: YAML error", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string relativePath, string yaml)
    {
        var path = Path.Combine(_directory.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    private async Task<IReadOnlyList<string>> SingleInvalidAsync()
    {
        var result = Assert.Single(await KubernetesSchemaValidator.ValidateAsync(_directory.FullName, Ct));
        Assert.False(result.Ok);
        return result.Errors;
    }
}
