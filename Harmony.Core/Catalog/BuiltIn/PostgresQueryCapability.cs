using System.Globalization;
using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.postgres_query</c>: a read-only SQL query whose rows come back as JSON. CONFIDENTIAL.</summary>
internal static class PostgresQueryCapability
{
    public const string Id = "golden.postgres_query";
    public const string ConnectionSecret = "connectionString";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "Postgres read-only query",
        Description = "Runs one SELECT (or WITH … SELECT) in a read-only transaction against an in-cluster PostgreSQL "
            + "database and returns the rows as JSON objects. The connection string comes from the secret reference "
            + "'connectionString' (a libpq URI, usually an OpenBao path) and never appears in the workflow.",
        Tags = ["postgres", "sql", "data"],
        Maintainer = "data-platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "sql": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 20000,
                  "pattern": "^[^;]*$",
                  "description": "A single SELECT statement, without semicolons (not even inside string literals)."
                },
                "maxRows": { "type": "integer", "minimum": 1, "maximum": 10000, "default": 1000 },
                "timeoutSeconds": { "type": "integer", "minimum": 1, "maximum": 300, "default": 30 }
              },
              "required": ["sql"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "rows": { "type": "array", "items": { "type": "object" } },
                "rowCount": { "type": "integer", "minimum": 0 }
              },
              "required": ["rows", "rowCount"]
            }
            """),
        SecretsSchema = SchemaDocument.Parse($"{Id}/secrets", $$"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": { "{{ConnectionSecret}}": { "type": "string", "minLength": 1 } },
              "required": ["{{ConnectionSecret}}"]
            }
            """),
        Security = new CapabilitySecurity(["harmony:data-read"], DataClassification.Confidential, ["*.svc.cluster.local"]),
        Operations = new CapabilityOperations(
            IsReadOnly: true, IsIdempotent: true, CapabilityRetryPolicy.Default, TimeSpan.FromMinutes(5), CostFactor: 2),
        ExampleInput = CatalogJson.Parse("""{"sql":"select id, status from orders where created_at > now() - interval '1 hour'","maxRows":100}"""),
        ExampleOutput = CatalogJson.Parse("""{"rows":[{"id":42,"status":"paid"}],"rowCount":1}"""),
        BuildContainer = request =>
        {
            var input = request.Input;
            var maxRows = CatalogJson.IntOrDefault(input, "maxRows", 1000).ToString(CultureInfo.InvariantCulture);
            var timeoutMs = (CatalogJson.IntOrDefault(input, "timeoutSeconds", 30) * 1000).ToString(CultureInfo.InvariantCulture);
            return new ContainerSpec
            {
                Image = ContainerImages.Postgres,
                Environment = new Dictionary<string, string>
                {
                    ["HARMONY_SQL"] = CatalogJson.RequiredString(input, "sql"),
                    ["HARMONY_MAX_ROWS"] = maxRows,

                    // The server enforces both: no write can commit, and no query outlives the timeout.
                    ["PGOPTIONS"] = $"-c default_transaction_read_only=on -c statement_timeout={timeoutMs}",
                    ["PGAPPNAME"] = "harmony",
                },
                SecretEnvironment = new Dictionary<string, string> { ["HARMONY_DATABASE_URL"] = ConnectionSecret },
                Files = new Dictionary<string, string> { ["/harmony/query.sh"] = Script },
                Args = ["sh", "/harmony/query.sh"],
            };
        },
    };

    // psql's :'var' interpolation is not available for the subquery itself, so the statement is spliced as text. The
    // read-only transaction keeps it from writing; the schema's ban on semicolons keeps it one statement, since a
    // second one could COMMIT and turn read-only off for the statements after it.
    private const string Script = """
        set -eu
        psql "$HARMONY_DATABASE_URL" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 \
          --command "select json_build_object('rows', coalesce(json_agg(q), '[]'::json), 'rowCount', count(*)) from (select * from ($HARMONY_SQL) s limit $HARMONY_MAX_ROWS) q"
        """;
}
