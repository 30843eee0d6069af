namespace Harmony.Tests.Infrastructure;

/// <summary>One validation of a policy over one object: <c>pass</c>, <c>fail</c> or <c>error</c>.</summary>
public sealed record AdmissionValidationResult(string Expression, string Outcome, string? Detail);

/// <summary>What a ValidatingAdmissionPolicy says of one YAML document on CREATE, as <c>admission.mjs</c> judges.</summary>
public sealed record AdmissionResult(
    string File,
    int Index,
    string? Kind,
    string? Name,
    bool Matched,
    bool Allowed,
    IReadOnlyList<AdmissionValidationResult> Validations)
{
    public override string ToString() =>
        $"{Kind} {Name}: {(Allowed ? "allowed" : "denied")} "
        + string.Join("; ", Validations.Select(v => v.Detail is null ? v.Outcome : $"{v.Outcome} ({v.Detail})"));
}

/// <summary>
/// Runs the CEL validations of a ValidatingAdmissionPolicy over Kubernetes objects with a real CEL evaluator
/// (<c>Harmony.Tests/KubernetesSchemas/admission.mjs</c>, on npm's @bufbuild/cel), so that a policy's tests show what
/// it admits and denies rather than what its expression's text contains.
/// </summary>
public static class AdmissionPolicyEvaluator
{
    private const string Script = "admission.mjs";

    /// <summary>
    /// Judges every document under <paramref name="objectsPath"/> (a file or a directory of YAML) against the policy in
    /// <paramref name="policyFile"/>. Throws when the script cannot judge: a missing file, a YAML error, no policy, or
    /// an expression that does not parse.
    /// </summary>
    public static async Task<IReadOnlyList<AdmissionResult>> EvaluateAsync(
        string policyFile, string objectsPath, CancellationToken cancellationToken)
    {
        var run = await NodeScript.RunAsync(
            Script, [Path.GetFullPath(policyFile), Path.GetFullPath(objectsPath)], cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Script} exited with {run.ExitCode}:\n{run.Errors}");
        }

        return NodeScript.Results<AdmissionResult>(Script, run.Output);
    }
}
