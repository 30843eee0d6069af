using System.Text.Json;
using System.Text.Json.Serialization;
using Harmony.Core.Catalog;
using Harmony.Core.Catalog.BuiltIn;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Harmony.Worker.Workflows;

/// <summary>
/// <c>workflows.verified_release</c>: creates a GitHub release, probes the service's health URL, and deletes the
/// release again (a compensation) when the probe does not answer with the expected status.
/// </summary>
[Workflow(VerifiedReleaseBlueprint.WorkflowType)]
public sealed class VerifiedReleaseWorkflow : BlueprintWorkflow
{
    /// <summary>The failure type of a probe that answered with another status than expected.</summary>
    public const string HealthCheckFailed = "HEALTH_CHECK_FAILED";

    private const string TokenSecretName = "githubToken";

    [WorkflowRun]
    public async Task<VerifiedReleaseOutput> RunAsync(VerifiedReleaseInput input)
    {
        RequireSecurityContext();
        input = RequireArgument(input);
        var secretRefs = new Dictionary<string, string> { [TokenSecretName] = input.GithubTokenRef };
        var releases = $"/repos/{input.Owner}/{input.Repo}/releases";

        return await RunWithCompensationsAsync(async () =>
        {
            var body = new Dictionary<string, string> { ["tag_name"] = input.Tag };
            if (input.ReleaseName is { } name)
            {
                body["name"] = name;
            }

            if (input.Notes is { } notes)
            {
                body["body"] = notes;
            }

            const string gitHub = BuiltInCatalog.CapabilityIds.GitHubRequest;
            var created = await ExecuteByIdAsync(gitHub, new { method = "POST", path = releases, body }, secretRefs: secretRefs);
            var release = OutputProperty(created, gitHub, "body", JsonValueKind.Object);
            var releaseId = OutputProperty(release, gitHub, "id", JsonValueKind.Number).GetInt64();
            var releaseUrl = release.TryGetProperty("html_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null;

            // The delete must run even when the workflow itself is being cancelled, so it is not tied to its token.
            AddCompensation($"delete release {releaseId}", () => ExecuteByIdAsync(
                gitHub,
                new { method = "DELETE", path = $"{releases}/{releaseId}" },
                secretRefs: secretRefs,
                cancellationToken: CancellationToken.None));

            const string httpProbe = BuiltInCatalog.CapabilityIds.HttpProbe;
            var probe = await ExecuteByIdAsync(httpProbe, new { url = input.HealthUrl });
            var status = OutputProperty(probe, httpProbe, "response_code", JsonValueKind.Number).GetInt32();
            var expected = input.ExpectedStatus ?? 200;
            if (status != expected)
            {
                throw new ApplicationFailureException(
                    $"Health probe of {input.HealthUrl} answered {status}, expected {expected}; release {releaseId} is deleted again.",
                    HealthCheckFailed,
                    nonRetryable: true);
            }

            return new VerifiedReleaseOutput(releaseId, releaseUrl, status);
        });
    }
}

/// <summary>The blueprint's argument, as the tool was called.</summary>
public sealed record VerifiedReleaseInput(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("repo")] string Repo,
    [property: JsonPropertyName("tag")] string Tag,
    [property: JsonPropertyName("healthUrl")] string HealthUrl,
    [property: JsonPropertyName("githubTokenRef")] string GithubTokenRef,
    [property: JsonPropertyName("releaseName")] string? ReleaseName = null,
    [property: JsonPropertyName("notes")] string? Notes = null,
    [property: JsonPropertyName("expectedStatus")] int? ExpectedStatus = null);

/// <summary>The blueprint's result: the release and the status the probe saw.</summary>
public sealed record VerifiedReleaseOutput(
    [property: JsonPropertyName("releaseId")] long ReleaseId,
    [property: JsonPropertyName("releaseUrl"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReleaseUrl,
    [property: JsonPropertyName("probeStatus")] int ProbeStatus);
