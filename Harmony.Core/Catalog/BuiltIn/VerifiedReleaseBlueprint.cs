using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary>
/// <c>workflows.verified_release</c>: publishes a GitHub release, then probes the service it ships; when the probe
/// fails, the compensation deletes the release again before the failure is reported.
/// </summary>
public static class VerifiedReleaseBlueprint
{
    /// <summary>The blueprint id and MCP tool name.</summary>
    public const string Id = "workflows.verified_release";

    /// <summary>The Temporal workflow type.</summary>
    public const string WorkflowType = "verifiedReleaseWorkflow";

    internal static BlueprintDefinition Create() => new()
    {
        Id = Id,
        WorkflowType = WorkflowType,
        Version = "1.0.0",
        Name = "Verified GitHub release",
        Description = "Creates a GitHub release for a tag, then probes the deployed service's health URL. If the probe does "
            + "not answer with the expected status, the release is deleted again (Saga compensation) and the run fails. "
            + "githubTokenRef names the token's secret reference, usually an OpenBao path.",
        Tags = ["github", "release", "blueprint"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "owner": { "type": "string", "pattern": "^[A-Za-z0-9-]{1,39}$" },
                "repo": { "type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$" },
                "tag": { "type": "string", "minLength": 1, "maxLength": 200 },
                "releaseName": { "type": "string", "maxLength": 200 },
                "notes": { "type": "string", "maxLength": 20000 },
                "healthUrl": { "type": "string", "pattern": "^https?://[a-z0-9]([-a-z0-9.]*[a-z0-9])?\\.svc\\.cluster\\.local(:[0-9]{1,5})?(/[^\\s]*)?$" },
                "expectedStatus": { "type": "integer", "minimum": 100, "maximum": 599, "default": 200 },
                "githubTokenRef": { "type": "string", "minLength": 1, "description": "Secret reference of the GitHub token, e.g. /github/release-bot." }
              },
              "required": ["owner", "repo", "tag", "healthUrl", "githubTokenRef"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "releaseId": { "type": "integer" },
                "releaseUrl": { "type": "string" },
                "probeStatus": { "type": "integer" }
              },
              "required": ["releaseId", "probeStatus"]
            }
            """),
        RequiredRoles = ["harmony:release"],
        DataClassification = DataClassification.Internal,
        CapabilityIds = [GitHubRequestCapability.Id, HttpProbeCapability.Id],
        ExampleInput = CatalogJson.Parse(
            """{"owner":"acme","repo":"shop","tag":"v1.4.0","healthUrl":"http://shop.shop.svc.cluster.local/health","githubTokenRef":"/github/release-bot"}"""),
    };
}
