using System.Globalization;
using Harmony.Core.Contexts;

namespace Harmony.Core.Catalog.BuiltIn;

/// <summary><c>golden.http_probe</c>: one HTTP request to an in-cluster URL, reporting status and timings.</summary>
internal static class HttpProbeCapability
{
    public const string Id = "golden.http_probe";

    public static CapabilityDefinition Create() => new()
    {
        Id = Id,
        Version = "1.0.0",
        Name = "HTTP health probe",
        Description = "Sends one HTTP request to a service inside the cluster (*.svc.cluster.local) and reports the status code, "
            + "the final URL and the timings. The probe does not fail on an error status or a refused connection; read "
            + "response_code (0 when no response came) and errormsg.",
        Tags = ["http", "health", "diagnostics"],
        Maintainer = "platform-team",
        InputSchema = SchemaDocument.Parse($"{Id}/input", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "url": {
                  "type": "string",
                  "pattern": "^https?://[a-z0-9]([-a-z0-9.]*[a-z0-9])?\\.svc\\.cluster\\.local(:[0-9]{1,5})?(/[^\\s]*)?$",
                  "description": "URL of an in-cluster service, for example http://api.shop.svc.cluster.local:8080/health."
                },
                "method": { "enum": ["GET", "HEAD"], "default": "GET" },
                "timeoutSeconds": { "type": "integer", "minimum": 1, "maximum": 60, "default": 10 },
                "followRedirects": { "type": "boolean", "default": false }
              },
              "required": ["url"],
              "additionalProperties": false
            }
            """),
        OutputSchema = SchemaDocument.Parse($"{Id}/output", """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "description": "curl's --write-out %{json} object.",
              "properties": {
                "response_code": { "type": "integer", "description": "HTTP status; 0 when no response came." },
                "url_effective": { "type": "string" },
                "time_total": { "type": "number", "description": "Seconds from start to end." },
                "time_connect": { "type": "number" },
                "exitcode": { "type": "integer", "description": "curl's exit code; 0 when the transfer worked." },
                "errormsg": { "type": ["string", "null"] }
              },
              "required": ["response_code", "url_effective", "time_total"]
            }
            """),
        Security = new CapabilitySecurity(["harmony:probe"], DataClassification.Internal, ["*.svc.cluster.local"]),
        Operations = new CapabilityOperations(
            IsReadOnly: true, IsIdempotent: true, CapabilityRetryPolicy.Default, TimeSpan.FromMinutes(2), CostFactor: 1),
        ExampleInput = CatalogJson.Parse("""{"url":"http://api.shop.svc.cluster.local:8080/health"}"""),
        ExampleOutput = CatalogJson.Parse(
            """{"response_code":200,"url_effective":"http://api.shop.svc.cluster.local:8080/health","time_total":0.012,"time_connect":0.001,"exitcode":0,"errormsg":null}"""),
        BuildContainer = request =>
        {
            var input = request.Input;
            var timeout = CatalogJson.IntOrDefault(input, "timeoutSeconds", 10).ToString(CultureInfo.InvariantCulture);
            List<string> args =
            [
                "sh", "-c", Script, "http_probe",
                "--silent", "--show-error", "--output", "/dev/null", "--write-out", "%{json}",
                "--max-time", timeout, "--request", CatalogJson.OptionalString(input, "method") ?? "GET",
            ];
            if (CatalogJson.BoolOrDefault(input, "followRedirects", false))
            {
                args.Add("--location");
            }

            // "--" ends the options, so no URL can smuggle one in.
            args.AddRange(["--", CatalogJson.RequiredString(input, "url")]);
            return new ContainerSpec { Image = ContainerImages.Curl, Args = args };
        },
    };

    // A refused connection or a timeout is what a probe is for: curl still writes its JSON (response_code 0, exitcode,
    // errormsg), so that is the result and the run succeeds. Only no JSON at all (curl could not start) fails it.
    private const string Script = """
        out=$(curl "$@") || true
        [ -n "$out" ] || exit 1
        printf '%s' "$out"
        """;
}
