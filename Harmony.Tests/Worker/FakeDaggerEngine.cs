using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Harmony.Tests.Worker;

/// <summary>A GraphQL request as the fake engine received it.</summary>
internal sealed record GraphQLCall(string Query, JsonElement Variables, string? Authorization);

/// <summary>
/// Stands in for a Dagger engine session: checks the session token the way the engine does (Basic auth, token as the
/// user name), answers <c>setSecret</c> with a new ID, and answers a container query with the nested result shape
/// the engine gives, ending in <c>stdout</c>; or with an <c>EXEC_ERROR</c>; or by holding the request open. Like the
/// engine, it caches a successful exec by its inputs (the query and its variables) and answers an identical query from
/// that cache without running anything.
/// </summary>
internal sealed class FakeDaggerEngine : IAsyncDisposable
{
    public const string SessionToken = "session-token-7f3a";

    private readonly List<GraphQLCall> _calls = [];
    private readonly Dictionary<string, string> _execCache = new(StringComparer.Ordinal);
    private int _secrets;
    private int _executions;

    private FakeDaggerEngine()
    {
    }

    public RecordingHttpServer Server { get; private set; } = null!;

    public IReadOnlyList<GraphQLCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<GraphQLCall> RunCalls => [.. Calls.Where(c => c.Query.StartsWith("query RunCapability", StringComparison.Ordinal))];

    public IReadOnlyList<GraphQLCall> SetSecretCalls => [.. Calls.Where(c => c.Query.StartsWith("query SetSecret", StringComparison.Ordinal))];

    /// <summary>How many containers actually ran: container queries not answered from the cache.</summary>
    public int Executions => Volatile.Read(ref _executions);

    /// <summary>What the container prints on stdout.</summary>
    public string Stdout { get; set; } = "{}";

    /// <summary>When set, the container "exits" with this code and stderr instead.</summary>
    public (int ExitCode, string Stderr)? ExecFailure { get; set; }

    /// <summary>When set, runs before a container query is answered; it may hold the request open.</summary>
    public Func<HttpContext, Task>? BeforeRunAnswer { get; set; }

    public static async Task<FakeDaggerEngine> StartAsync(CancellationToken cancellationToken)
    {
        var engine = new FakeDaggerEngine();
        engine.Server = await RecordingHttpServer.StartAsync(engine.HandleAsync, cancellationToken);
        return engine;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(SessionToken + ":"));
        request.Headers.TryGetValue("Authorization", out var authorization);
        if (request.Method != "POST" || request.PathAndQuery != "/query" || authorization != expected)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var body = JsonDocument.Parse(request.Body);
        var query = body.RootElement.GetProperty("query").GetString()!;
        var variables = body.RootElement.TryGetProperty("variables", out var v) ? v.Clone() : default;
        lock (_calls)
        {
            _calls.Add(new GraphQLCall(query, variables, authorization));
        }

        context.Response.ContentType = "application/json";
        if (query.StartsWith("query SetSecret", StringComparison.Ordinal))
        {
            var id = $"secret-id-{Interlocked.Increment(ref _secrets)}";
            await context.Response.WriteAsync($$$$"""{"data":{"setSecret":{"id":"{{{{id}}}}"}}}""", context.RequestAborted);
            return;
        }

        var cacheKey = query + "\n" + variables.GetRawText();
        string? cached;
        lock (_execCache)
        {
            _execCache.TryGetValue(cacheKey, out cached);
        }

        if (cached is not null)
        {
            await context.Response.WriteAsync(cached, context.RequestAborted);
            return;
        }

        Interlocked.Increment(ref _executions);
        if (BeforeRunAnswer is { } before)
        {
            await before(context);
        }

        var fields = FieldPath(query);
        if (ExecFailure is { } failure)
        {
            var error = new JsonObject
            {
                ["message"] = $"process \"sh\" did not complete successfully: exit code: {failure.ExitCode}",
                ["path"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]),
                ["extensions"] = new JsonObject
                {
                    ["_type"] = "EXEC_ERROR",
                    ["cmd"] = new JsonArray("sh"),
                    ["exitCode"] = failure.ExitCode,
                    ["stdout"] = string.Empty,
                    ["stderr"] = failure.Stderr,
                },
            };
            await context.Response.WriteAsync(new JsonObject { ["errors"] = new JsonArray(error), ["data"] = null }.ToJsonString());
            return;
        }

        JsonNode node = JsonValue.Create(Stdout);
        for (var i = fields.Count - 1; i >= 0; i--)
        {
            node = new JsonObject { [fields[i]] = node };
        }

        var answer = new JsonObject { ["data"] = node }.ToJsonString();
        lock (_execCache)
        {
            _execCache[cacheKey] = answer;
        }

        await context.Response.WriteAsync(answer);
    }

    /// <summary>The chain of field names in a nested query: each line that opens a selection, then the leaf.</summary>
    private static List<string> FieldPath(string query)
    {
        var lines = query.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && l != "}").ToList();
        return [.. lines.Select(l => l.Split('(', ' ')[0])];
    }
}
