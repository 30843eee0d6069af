namespace Harmony.Tests.Infrastructure;

/// <summary>One YAML document as <c>validate.mjs</c> judged it; <see cref="Index"/> is its position in <see cref="File"/>.</summary>
public sealed record KubernetesDocumentResult(
    string File,
    int Index,
    string? ApiVersion,
    string? Kind,
    string? Name,
    bool Ok,
    IReadOnlyList<string> Errors)
{
    public override string ToString() =>
        $"{File}#{Index} {ApiVersion ?? "?"} {Kind ?? "?"} {Name ?? "(no name)"}: " + (Ok ? "ok" : string.Join("; ", Errors));
}

/// <summary>
/// Kubernetes manifests checked against the schemas of the npm packages kubernetes-models, @kubernetes-models/keda
/// and @kubernetes-models/cilium (unknown fields, name formats and repeated identities included) by running
/// <c>Harmony.Tests/KubernetesSchemas/validate.mjs</c> under Node.js (<see cref="NodeScript"/>).
/// </summary>
public static class KubernetesSchemaValidator
{
    private const string Script = "validate.mjs";

    /// <summary>
    /// Validates <paramref name="path"/>, a file or a directory searched recursively for <c>*.yaml</c> and <c>*.yml</c>:
    /// one result per non-empty YAML document. Throws when the validator cannot judge: no such path, a YAML syntax
    /// error, a directory without YAML, or Node.js or the packages missing.
    /// </summary>
    public static async Task<IReadOnlyList<KubernetesDocumentResult>> ValidateAsync(string path, CancellationToken cancellationToken)
    {
        var run = await NodeScript.RunAsync(Script, [Path.GetFullPath(path)], cancellationToken);
        return run.ExitCode switch
        {
            0 or 1 => Parse(run.Output, run.ExitCode, run.Errors),
            2 => throw new InvalidOperationException($"{Script} could not validate {path}:\n{run.Errors}"),
            var code => throw new InvalidOperationException($"{Script} exited with {code} for {path}:\n{run.Errors}"),
        };
    }

    /// <summary>Validates <paramref name="path"/> and fails the test, listing every error, unless every document is valid.</summary>
    public static async Task<IReadOnlyList<KubernetesDocumentResult>> AssertValidAsync(string path, CancellationToken cancellationToken)
    {
        var results = await ValidateAsync(path, cancellationToken);
        var invalid = results.Where(r => !r.Ok).ToList();
        if (invalid.Count > 0)
        {
            Assert.Fail($"{invalid.Count} of {results.Count} Kubernetes documents are invalid:\n" + string.Join('\n', invalid));
        }

        return results;
    }

    private static List<KubernetesDocumentResult> Parse(string output, int exitCode, string stderr)
    {
        var results = NodeScript.Results<KubernetesDocumentResult>(Script, output);
        if ((exitCode == 0) != results.TrueForAll(r => r.Ok))
        {
            throw new InvalidOperationException($"{Script} exited with {exitCode}, which its results contradict. stderr: {stderr}");
        }

        return results;
    }
}
