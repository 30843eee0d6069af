using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Harmony.Tests.Worker;

/// <summary>
/// Stands in for OpenBao's KV v2 engine mounted at <c>secret</c>: answers <c>GET /v1/secret/data/&lt;path&gt;</c> with
/// <c>{"data":{"data":{…},"metadata":{…}}}</c>, 404 for unknown paths and 403 for a wrong token, as OpenBao does.
/// </summary>
internal sealed class FakeOpenBao : IAsyncDisposable
{
    public const string Token = "root-token-for-tests";
    private const string Prefix = "/v1/secret/data/";

    private readonly Dictionary<string, JsonObject> _secrets = new(StringComparer.Ordinal);

    private FakeOpenBao()
    {
    }

    public RecordingHttpServer Server { get; private set; } = null!;

    public static async Task<FakeOpenBao> StartAsync(CancellationToken cancellationToken)
    {
        var bao = new FakeOpenBao();
        bao.Server = await RecordingHttpServer.StartAsync(bao.HandleAsync, cancellationToken);
        return bao;
    }

    public FakeOpenBao With(string path, JsonObject data)
    {
        _secrets[path] = data;
        return this;
    }

    /// <summary>When set, runs before a request is answered; it may hold the request open.</summary>
    public Func<HttpContext, Task>? BeforeAnswer { get; set; }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task HandleAsync(RecordedRequest request, HttpContext context)
    {
        if (BeforeAnswer is { } before)
        {
            await before(context);
        }

        context.Response.ContentType = "application/json";
        if (!request.Headers.TryGetValue("X-Vault-Token", out var token) || token != Token)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("""{"errors":["permission denied"]}""");
            return;
        }

        if (request.Method != "GET" || !request.PathAndQuery.StartsWith(Prefix, StringComparison.Ordinal)
            || !_secrets.TryGetValue(request.PathAndQuery[Prefix.Length..], out var data))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("""{"errors":[]}""");
            return;
        }

        var answer = new JsonObject
        {
            ["request_id"] = "5e2b7c1a-0000-0000-0000-000000000000",
            ["lease_duration"] = 0,
            ["renewable"] = false,
            ["data"] = new JsonObject
            {
                ["data"] = data.DeepClone(),
                ["metadata"] = new JsonObject { ["created_time"] = "2026-01-01T00:00:00Z", ["deletion_time"] = "", ["destroyed"] = false, ["version"] = 1 },
            },
        };
        await context.Response.WriteAsync(answer.ToJsonString());
    }
}
