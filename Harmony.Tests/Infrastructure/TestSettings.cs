namespace Harmony.Tests.Infrastructure;

/// <summary>Configuration for a test server, as the environment variables name it.</summary>
public static class TestSettings
{
    public const string Secret = "test-envelope-secret";

    /// <summary>A server that talks to <paramref name="temporalAddress"/> with a short await timeout.</summary>
    public static Dictionary<string, string> For(string temporalAddress, params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TEMPORAL_ADDRESS"] = temporalAddress,
            ["TEMPORAL_UI_URL"] = "http://temporal-ui.test:8233",
            ["MCP_ROLES"] = "harmony:probe,harmony:github,harmony:data-read,harmony:release,harmony:deploy",
            ["MCP_CAPABILITY_AWAIT_TIMEOUT_MS"] = "1500",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }
}
