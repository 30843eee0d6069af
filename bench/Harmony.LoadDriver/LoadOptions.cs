using System.Globalization;

namespace Harmony.Bench;

/// <summary>What to drive and how hard; every loop is bounded by a request count and by a time limit.</summary>
internal sealed record LoadOptions
{
    public IReadOnlyList<string> Modes { get; init; } = ["handlers", "inproc", "stdio", "http"];

    public int Requests { get; init; } = 2000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    public int Warmup { get; init; } = 200;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4];

    public string? ServerPath { get; init; }

    public string? MarkdownPath { get; init; }

    public IReadOnlyDictionary<string, string?> ServerEnvironment { get; init; } = new Dictionary<string, string?>();

    public const string Usage = """
        Harmony.LoadDriver: drives tools/list and tools/call against the Harmony MCP server with the official MCP client.

          --modes handlers,inproc,stdio,http
                                      handlers: Harmony's tools/list and tools/call handlers called directly;
                                      inproc: the server in this process over in-memory pipes, official client;
                                      inproc-http: the server in this process on Kestrel (loopback), official client;
                                      stdio, http: the built server started as a process (default: all but inproc-http)
          --requests N                measured requests per scenario and concurrency, at most (default 2000)
          --seconds S                 time limit per scenario and concurrency (default 15)
          --warmup N                  unmeasured requests before each scenario (default 200)
          --concurrency 1,4           requests in flight at once; one run per value (default 1,4)
          --server PATH               Harmony.Mcp.dll to start (default: the build next to this repository's Harmony.sln)
          --markdown PATH             also write the results table to PATH
          --server-env NAME=VALUE     an extra environment variable for the stdio and HTTP servers (repeatable),
                                      e.g. Logging__LogLevel__Default=Warning
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--modes" => options with { Modes = List(value) },
                "--requests" => options with { Requests = Positive(value) },
                "--seconds" => options with { Duration = TimeSpan.FromSeconds(Positive(value)) },
                "--warmup" => options with { Warmup = NonNegative(value) },
                "--concurrency" => options with { Concurrency = [.. List(value).Select(Positive)] },
                "--server" => options with { ServerPath = value },
                "--markdown" => options with { MarkdownPath = value },
                "--server-env" => options with { ServerEnvironment = WithVariable(options.ServerEnvironment, value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
            i++;
        }

        if (options.Modes.FirstOrDefault(m => m is not ("handlers" or "inproc" or "inproc-http" or "stdio" or "http")) is { } unknown)
        {
            throw new ArgumentException($"Unknown mode '{unknown}'.");
        }

        return options;
    }

    private static Dictionary<string, string?> WithVariable(IReadOnlyDictionary<string, string?> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException($"--server-env '{assignment}' is not NAME=VALUE.");
        }

        return new Dictionary<string, string?>(variables, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static string[] List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int NonNegative(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"'{value}' is not a whole number.");

    private static int Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"'{value}' is not a positive whole number.");
}
