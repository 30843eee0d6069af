using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.kubectl_apply</c>: server-side applies manifests to a cluster. RESTRICTED: needs approval.</summary>
internal static class KubectlApplyCapability
{
    public const string Id = "golden.kubectl_apply";
    public const string KubeconfigSecret = "kubeconfig";

    private const string ManifestPath = "/harmony/manifest.yaml";
    private const string KubeconfigPath = "/harmony/secrets/kubeconfig";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "kubectl apply",
        Description = "Applies Kubernetes manifests with server-side apply (field manager 'harmony') and returns the objects "
            + "as the API server stored them. Set dryRun to 'server' to validate without changing the cluster. "
            + "Needs the secret reference 'kubeconfig'. Changes production: runs only with approval.",
        Tags = ["kubernetes", "deploy"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "manifest": { "type": "string", "minLength": 1, "maxLength": 262144, "description": "One or more YAML or JSON documents." },
                "namespace": { "type": "string", "pattern": "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" },
                "dryRun": { "enum": ["none", "server"], "default": "none" },
                "forceConflicts": { "type": "boolean", "default": false, "description": "Take over fields owned by another manager." }
              },
              "required": ["manifest", "namespace"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "description": "kubectl's -o json output: one object, or a List of them.",
              "properties": { "kind": { "type": "string" }, "apiVersion": { "type": "string" } },
              "required": ["kind", "apiVersion"]
            }
            """),
        SecretsSchema = SchemaDocument.Parse($"{Id}/secrets", $$"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "{{KubeconfigSecret}}": { "type": "string", "minLength": 1 } },
              "required": ["{{KubeconfigSecret}}"]
            }
            """),
        Security = new CapabilitySecurity(
            ["harmony:deploy"], DataClassification.Restricted, ["kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]),
        Operations = new CapabilityOperations(
            IsReadOnly: false, IsIdempotent: true, CapabilityRetryPolicy.Default, TimeSpan.FromMinutes(5), CostFactor: 2),
        ExampleInput = CatalogJson.Parse(
            """{"manifest":"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-flags\ndata:\n  checkout: \"on\"\n","namespace":"shop","dryRun":"server"}"""),
        ExampleOutput = CatalogJson.Parse(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shop-flags","namespace":"shop"},"data":{"checkout":"on"}}"""),
        BuildContainer = request =>
        {
            var input = request.Input;
            List<string> args =
            [
                "apply", "--server-side", "--field-manager=harmony", "--kubeconfig", KubeconfigPath,
                "--namespace", CatalogJson.RequiredString(input, "namespace"), "--output", "json", "--filename", ManifestPath,
            ];
            if (CatalogJson.OptionalString(input, "dryRun") == "server")
            {
                args.Add("--dry-run=server");
            }

            if (CatalogJson.BoolOrDefault(input, "forceConflicts", false))
            {
                args.Add("--force-conflicts");
            }

            // The image is distroless: no shell, so kubectl is its entrypoint and every input is a file or an argument.
            return new ContainerSpec
            {
                Image = ContainerImages.Kubectl,
                UseEntrypoint = true,
                Args = args,
                Files = new Dictionary<string, string> { [ManifestPath] = CatalogJson.RequiredString(input, "manifest") },
                SecretFiles = new Dictionary<string, string> { [KubeconfigPath] = KubeconfigSecret },
            };
        },
    };
}
