using System.Text.Json;
using System.Text.RegularExpressions;

namespace Harmony.Tests.AppHost;

/// <summary>The Keycloak realm file the AppHost imports.</summary>
internal static partial class HarmonyRealm
{
    public static string FilePath => Path.Combine(Projects.Harmony_AppHost.ProjectPath, "Keycloak", "realms", "harmony-realm.json");

    public static JsonElement Load() => JsonDocument.Parse(File.ReadAllText(FilePath)).RootElement.Clone();

    public static JsonElement Client(string clientId) =>
        Load().GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == clientId);

    public static JsonElement User(string username) =>
        Load().GetProperty("users").EnumerateArray().Single(u => u.GetProperty("username").GetString() == username);

    public static IReadOnlySet<string> RealmRoles() =>
        Load().GetProperty("roles").GetProperty("realm").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToHashSet();

    public static IReadOnlyList<string> RolesOf(JsonElement user) =>
        [.. user.GetProperty("realmRoles").EnumerateArray().Select(r => r.GetString()!)];

    /// <summary>The environment variables the file names as <c>${NAME}</c>, which Keycloak resolves at import.</summary>
    public static IReadOnlySet<string> Placeholders() =>
        Placeholder().Matches(File.ReadAllText(FilePath)).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
