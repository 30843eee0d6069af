namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// The managed services a published Harmony expects, by the name of their connection string: what each is, and the
/// address written when publishing is not told one (<c>ConnectionStrings:&lt;name&gt;</c>). The defaults are the
/// Services that the projects' own Helm charts create under their usual release names.
/// </summary>
internal static class ManagedServices
{
    private static readonly Dictionary<string, (string Address, string Description)> Known = new(StringComparer.Ordinal)
    {
        ["temporal"] = (
            "temporal-frontend.temporal.svc.cluster.local:7233",
            "Temporal frontend gRPC host:port"),
        ["temporal-ui"] = (
            "https://temporal.example.com",
            "Temporal web UI base URL, as agents' users open it (status links point here)"),
        ["keycloak"] = (
            "https://keycloak.example.com/realms/harmony",
            "OIDC authority: the Keycloak realm URL that issues tokens for the MCP server (HTTPS)"),
        ["openbao"] = (
            "http://openbao.openbao.svc.cluster.local:8200",
            "OpenBao API address the worker reads secret references from"),
    };

    /// <summary>The address written for <paramref name="name"/> when publishing is not given one.</summary>
    public static string DefaultAddress(string name) =>
        Known.TryGetValue(name, out var service) ? service.Address : string.Empty;

    /// <summary>What the service named <paramref name="name"/> is, for the output's README.</summary>
    public static string Describe(string name) =>
        Known.TryGetValue(name, out var service) ? service.Description : "address of an existing service";
}
