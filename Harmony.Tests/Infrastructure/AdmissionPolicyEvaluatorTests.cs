namespace Harmony.Tests.Infrastructure;

/// <summary>
/// The admission policy evaluator itself, on a small policy: it admits what the expression allows, denies what it does
/// not, judges only the resources the policy matches, and refuses an expression that does not parse.
/// </summary>
public sealed class AdmissionPolicyEvaluatorTests : IDisposable
{
    private const string Policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: few-replicas}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [apps]
                apiVersions: [v1]
                operations: [CREATE, UPDATE]
                resources: [deployments]
          validations:
            - expression: "object.spec.replicas <= 3"
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("harmony-admission-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluate_ReplicaLimit_AllowsWithinDeniesBeyondAndSkipsOtherKinds()
    {
        var policy = Write("policy.yaml", Policy);
        var objects = Write("objects.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: small}
            spec: {replicas: 2}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: large}
            spec: {replicas: 5}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            """);

        var results = await AdmissionPolicyEvaluator.EvaluateAsync(policy, objects, Ct);

        Assert.Equal(
            [("small", true, true), ("large", true, false), ("settings", false, true)],
            results.Select(r => (r.Name, r.Matched, r.Allowed)));
        Assert.Equal("fail", Assert.Single(results[1].Validations).Outcome);
    }

    [Fact]
    public async Task Evaluate_ExpressionErrorsUnderFailurePolicyFail_Denies()
    {
        var policy = Write("policy.yaml", Policy);
        var objects = Write("objects.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: unset}\nspec: {}\n");

        var result = Assert.Single(await AdmissionPolicyEvaluator.EvaluateAsync(policy, objects, Ct));

        Assert.False(result.Allowed);
        Assert.Equal("error", Assert.Single(result.Validations).Outcome);
    }

    [Fact]
    public async Task Evaluate_ExpressionThatDoesNotParse_Throws()
    {
        var policy = Write("policy.yaml", Policy.Replace("<= 3", "<= (3", StringComparison.Ordinal));
        var objects = Write("objects.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any}\nspec: {}\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => AdmissionPolicyEvaluator.EvaluateAsync(policy, objects, Ct));

        Assert.Contains("does not parse", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
