namespace Harmony.AppHost.OpenBao;

/// <summary>
/// The secrets the built-in catalog's examples reference, written into OpenBao so the demo works out of the box.
/// Every value here is a DEMO value: replace them (or point the worker at a real OpenBao) before anything real.
/// </summary>
internal static class DemoSecrets
{
    /// <summary>The demo secrets; <c>postgres/demo</c> is a libpq URI to <paramref name="postgres"/>.</summary>
    public static IReadOnlyList<OpenBaoSecret> For(PostgresServerResource postgres) =>
    [
        Secret("demo/greeting", ReferenceExpression.Create($"hello from OpenBao (demo value)")),

        // What workflows.verified_release's example references as githubToken: a placeholder, not a token.
        Secret("github/release-bot", ReferenceExpression.Create($"<placeholder: replace with a GitHub token>")),

        // golden.postgres_query's connectionString. The address is the one this machine sees; a container that runs
        // the query must reach that port on the host.
        Secret("postgres/demo", ReferenceExpression.Create($"{postgres.UriExpression}/postgres")),
    ];

    private static OpenBaoSecret Secret(string path, ReferenceExpression value) =>
        new(path, new Dictionary<string, ReferenceExpression> { ["value"] = value });
}
