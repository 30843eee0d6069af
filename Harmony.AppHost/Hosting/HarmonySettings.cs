namespace Harmony.AppHost.Hosting;

/// <summary>The names the resources agree on: realm, audience, KV mount, and the demo values of the knobs.</summary>
internal static class HarmonySettings
{
    /// <summary>The Keycloak realm imported from <c>Keycloak/realms/harmony-realm.json</c>.</summary>
    public const string Realm = "harmony";

    /// <summary>The client id that tokens for the MCP server must carry in <c>aud</c>.</summary>
    public const string McpAudience = "harmony-mcp";

    /// <summary>The confidential client agents use for client credentials.</summary>
    public const string AgentClientId = "harmony-agent";

    /// <summary>The OpenBao KV v2 mount the worker reads secret references from.</summary>
    public const string KvMount = "secret";

    /// <summary>The <c>app_id</c> the MCP server puts in every GoldenContext.</summary>
    public const string McpAppId = "harmony-mcp";

    /// <summary>The MCP server's fixed local port, so an MCP client's configuration survives restarts.</summary>
    public const int McpPort = 5100;

    /// <summary>The build id the local worker reports to Temporal.</summary>
    public const string WorkerBuildId = "local";
}
