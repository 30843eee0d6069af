using Harmony.Tests.Infrastructure;

namespace Harmony.Tests.AppHost;

/// <summary>
/// The committed ephemeral-volume admission policy of the Dagger namespace (<c>k8s/dagger/</c>), run by a real CEL
/// evaluator over pods: what it admits and what it denies, not what its expression's text contains.
/// </summary>
public sealed class DaggerAdmissionPolicyTests : IDisposable
{
    // The volume the API server adds to every pod that mounts a service account token.
    private const string ServiceAccountTokenVolume = """
        - name: kube-api-access-x7k2p
          projected:
            defaultMode: 420
            sources:
              - serviceAccountToken: {expirationSeconds: 3607, path: token}
              - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
              - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}]}
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("harmony-dagger-admission-");

    public static TheoryData<string, string, bool> Pods => new()
    {
        { "no volumes", "[]", true },
        { "emptyDir", "[{name: state, emptyDir: {sizeLimit: 10Gi}}]", true },
        {
            "generic ephemeral",
            "[{name: state, ephemeral: {volumeClaimTemplate: {spec: "
                + "{accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}}}}]",
            true
        },
        { "service account token", "\n" + ServiceAccountTokenVolume, true },
        { "hostPath", "[{name: state, hostPath: {path: /var/lib/dagger}}]", false },
        { "emptyDir and hostPath", "[{name: a, emptyDir: {}}, {name: b, hostPath: {path: /run/dagger}}]", false },
        { "persistentVolumeClaim", "[{name: state, persistentVolumeClaim: {claimName: dagger-state}}]", false },
        { "Secret", "[{name: creds, secret: {secretName: registry}}]", false },
        { "ConfigMap", "[{name: config, configMap: {name: engine}}]", false },
        { "projected Secret", "[{name: creds, projected: {sources: [{secret: {name: registry}}]}}]", false },
        { "projected other ConfigMap", "[{name: config, projected: {sources: [{configMap: {name: engine}}]}}]", false },
        { "nfs", "[{name: share, nfs: {server: nfs.example.com, path: /exports}}]", false },
    };

    [Theory]
    [MemberData(nameof(Pods))]
    public async Task EphemeralVolumePolicy_PodWithVolumes_AdmitsOnlyEphemeralOnes(
        string description, string volumes, bool allowed)
    {
        var pod = Path.Combine(_directory.FullName, "pod.yaml");
        await File.WriteAllTextAsync(
            pod,
            $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: capability, namespace: dagger}
            spec:
              containers: [{name: engine, image: registry.dagger.io/engine:v0.21.8}]
              volumes: {{volumes.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            """,
            TestContext.Current.CancellationToken);

        var result = Assert.Single(await AdmissionPolicyEvaluator.EvaluateAsync(
            Path.Combine(RepositoryRoot, "k8s", "dagger", "validating-admission-policy.yaml"),
            pod,
            TestContext.Current.CancellationToken));

        Assert.True(result.Matched, description);
        Assert.True(result.Allowed == allowed, $"{description}: {result}");
        Assert.DoesNotContain(result.Validations, v => v.Outcome == "error");
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static string RepositoryRoot => Path.GetDirectoryName(Projects.Harmony_AppHost.ProjectPath)!;
}
