using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Envelopes;

namespace Harmony.Tests.Infrastructure;

/// <summary>Builds signed envelopes the way a client does.</summary>
public static class Envelopes
{
    public static JsonObject Signed(JsonObject payload, string secret = TestSettings.Secret)
    {
        var element = JsonSerializer.SerializeToElement(payload);
        return new JsonObject
        {
            ["alg"] = "HMAC-SHA256",
            ["payload"] = JsonNode.Parse(payload.ToJsonString()),
            ["sig"] = new EnvelopeVerifier(secret).Sign(element),
        };
    }
}
