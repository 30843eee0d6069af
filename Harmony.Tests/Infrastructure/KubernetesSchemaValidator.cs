using System.Reflection;
using System.Text.Json;

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
/// <c>Harmony.Tests/KubernetesSchemas/validate.mjs</c> under Node.js where it lies in the source tree. The build runs <c>npm ci</c> there (see Harmony.Tests.csproj).
/// </summary>
public static class KubernetesSchemaValidator
{
    private const string Script = "validate.mjs";
    private const string ToolsNeeded = "Node.js 20+ and npm are needed for the Kubernetes schema validation tests";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Lazy<string> SchemasFolder = new(FindSchemasDirectory);

    /// <summary>The folder holding <c>validate.mjs</c>, <c>package.json</c> and <c>node_modules</c>.</summary>
    public static string SchemasDirectory => SchemasFolder.Value;

    /// <summary>
    /// Validates <paramref name="path"/>, a file or a directory searched recursively for <c>*.yaml</c> and <c>*.yml</c>:
    /// one result per non-empty YAML document. Throws when the validator cannot judge: no such path, a YAML syntax
    /// error, a directory without YAML, or Node.js or the packages missing.
    /// </summary>
    public static async Task<IReadOnlyList<KubernetesDocumentResult>> ValidateAsync(string path, CancellationToken cancellationToken)
    {
        var directory = SchemasDirectory;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException(
                $"{Path.Combine(directory, "node_modules")} is missing: run `npm ci` in {directory}, as building Harmony.Tests does. {ToolsNeeded}.");
        }

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
        var results = new List<KubernetesDocumentResult>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            results.Add(JsonSerializer.Deserialize<KubernetesDocumentResult>(line, JsonOptions)
                ?? throw new InvalidOperationException($"{Script} wrote a line that is not a result: {line}"));
        }

        if ((exitCode == 0) != results.TrueForAll(r => r.Ok))
        {
            throw new InvalidOperationException($"{Script} exited with {exitCode}, which its results contradict. stderr: {stderr}");
        }

        return results;
    }

    private static string FindSchemasDirectory()
    {
        // Written into the assembly by Harmony.Tests.csproj; the walk up is for an output folder moved off its build.
        var recorded = typeof(KubernetesSchemaValidator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "KubernetesSchemasDirectory")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, Script)))
        {
            return Path.GetFullPath(recorded);
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Harmony.Tests", "KubernetesSchemas");
            if (File.Exists(Path.Combine(candidate, Script)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Harmony.Tests/KubernetesSchemas/{Script} was found neither where the build recorded it ({recorded ?? "nothing recorded"}) nor above {AppContext.BaseDirectory}.");
    }
}
