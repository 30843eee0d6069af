using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harmony.Bench;

/// <summary>Envelope payloads of two sizes, built deterministically.</summary>
public static class BenchmarkPayloads
{
    /// <summary>What a typical agent sends: an initiator, two roles and the context fields.</summary>
    public static JsonObject Small() => new()
    {
        ["initiatorId"] = "user:alice@example.com",
        ["roles"] = new JsonArray("harmony:probe", "harmony:github"),
        ["tokenRef"] = "vault:tokens/alice",
        ["appId"] = "release-agent",
        ["environment"] = "staging",
        ["dataClassification"] = "INTERNAL",
        ["traceId"] = "4bf92f3577b34da6a3ce929d0e0e4736",
        ["iat"] = 1_780_000_000,
        ["exp"] = 1_780_000_300,
    };

    /// <summary>
    /// A payload near the top of what is plausible (about 11 KB canonical): 200 roles and 100 extra signed claims of
    /// every JSON type, with escapes, non-ASCII text and numbers that need ECMAScript formatting.
    /// </summary>
    public static JsonObject Large()
    {
        var payload = Small();
        var roles = new JsonArray();
        for (var i = 0; i < 200; i++)
        {
            roles.Add($"team-{i:D3}:deployer");
        }

        payload["roles"] = roles;
        var claims = new JsonObject();
        for (var i = 0; i < 100; i++)
        {
            claims[$"claim_{(i * 37) % 100:D2}_{i}"] = (i % 5) switch
            {
                0 => $"value \"{i}\" with ünïcödé and a tab\t",
                1 => i * 1.5e-7,
                2 => new JsonArray(i, true, null, "x"),
                3 => new JsonObject { ["z"] = i, ["a"] = 1e21 + i, ["m"] = -0.0 },
                _ => i % 2 == 0,
            };
        }

        payload["claims"] = claims;
        return payload;
    }

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
