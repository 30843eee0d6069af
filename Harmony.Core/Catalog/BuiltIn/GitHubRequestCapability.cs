using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.github_request</c>: one call to the GitHub REST API with a token passed as a secret.</summary>
internal static class GitHubRequestCapability
{
    public const string Id = "golden.github_request";
    public const string TokenSecret = "githubToken";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "GitHub REST request",
        Description = "Calls the GitHub REST API (api.github.com) and returns the JSON response. The token comes from the "
            + "secret reference 'githubToken' (an OpenBao path such as /github/bot) and never appears in the workflow.",
        Tags = ["github", "scm", "rest"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "method": { "enum": ["GET", "POST", "PATCH", "PUT", "DELETE"] },
                "path": {
                  "type": "string",
                  "pattern": "^/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$",
                  "description": "Path and query below https://api.github.com, for example /repos/acme/shop/releases."
                },
                "body": { "type": "object", "description": "JSON request body, for POST, PATCH and PUT." }
              },
              "required": ["method", "path"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "status": { "type": "integer", "description": "HTTP status of GitHub's answer." },
                "body": { "description": "GitHub's JSON answer; null when it sent none (204)." }
              },
              "required": ["status", "body"]
            }
            """),
        SecretsSchema = SchemaDocument.Parse($"{Id}/secrets", $$"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "{{TokenSecret}}": { "type": "string", "minLength": 1 } },
              "required": ["{{TokenSecret}}"]
            }
            """),
        Security = new CapabilitySecurity(["harmony:github"], DataClassification.Internal, ["api.github.com"]),
        Operations = new CapabilityOperations(
            IsReadOnly: false, IsIdempotent: false, CapabilityRetryPolicy.Never, TimeSpan.FromMinutes(1), CostFactor: 1),
        ExampleInput = CatalogJson.Parse("""{"method":"GET","path":"/repos/acme/shop/releases/latest"}"""),
        ExampleOutput = CatalogJson.Parse("""{"status":200,"body":{"id":1,"tag_name":"v1.2.0"}}"""),
        BuildContainer = request =>
        {
            var environment = new Dictionary<string, string>
            {
                ["GH_METHOD"] = CatalogJson.RequiredString(request.Input, "method"),
                ["GH_PATH"] = CatalogJson.RequiredString(request.Input, "path"),
            };
            if (request.Input.TryGetProperty("body", out var body))
            {
                environment["GH_BODY"] = CatalogJson.Text(body);
            }

            return new ContainerSpec
            {
                Image = ContainerImages.Curl,
                Environment = environment,
                SecretEnvironment = new Dictionary<string, string> { ["GH_TOKEN"] = TokenSecret },
                Files = new Dictionary<string, string> { ["/harmony/github.sh"] = Script },
                Args = ["sh", "/harmony/github.sh"],
            };
        },
    };

    // The token is read from the environment inside the container, so it is never part of the command line.
    // The answer is wrapped as {"status":…,"body":…}; an empty body (204) becomes null; 4xx and 5xx fail the run.
    private const string Script = """
        set -eu
        out=$(mktemp)
        set -- --silent --show-error --output "$out" --write-out '%{http_code}' --request "$GH_METHOD" \
          --header "Authorization: Bearer $GH_TOKEN" \
          --header 'Accept: application/vnd.github+json' \
          --header 'X-GitHub-Api-Version: 2022-11-28'
        if [ -n "${GH_BODY:-}" ]; then set -- "$@" --header 'Content-Type: application/json' --data "$GH_BODY"; fi
        status=$(curl "$@" "https://api.github.com$GH_PATH")
        if [ "$status" -ge 400 ]; then echo "GitHub answered HTTP $status:" >&2; cat "$out" >&2; exit 1; fi
        if [ -s "$out" ]; then printf '{"status":%s,"body":' "$status"; cat "$out"; printf '}'; else printf '{"status":%s,"body":null}' "$status"; fi
        """;
}
