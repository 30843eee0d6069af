using System.Net;
using System.Text.Json;

namespace Harmony.Tests.Infrastructure;

/// <summary>One request as <see cref="ReplicaRouter"/> sent it on, with the <c>Mcp-Session-Id</c> it carried, if any.</summary>
public sealed record RoutedRequest(
    Uri Instance, HttpMethod Method, string? JsonRpcMethod, string? SessionId, HttpStatusCode Status);

/// <summary>
/// A load balancer without session affinity, in miniature: the client's handshake (<c>server/discover</c>, or
/// <c>initialize</c> on older protocol revisions) goes to one instance and every other request to another, so whatever
/// the handshake set up is not where the calls arrive. Each request is recorded with the JSON-RPC method it carried
/// and the status it got.
/// </summary>
public sealed class ReplicaRouter(Uri handshake, Uri calls) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _gate = new();
    private readonly List<RoutedRequest> _requests = [];

    public IReadOnlyList<RoutedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = await JsonRpcMethodAsync(request, cancellationToken);
        var instance = method is "initialize" or "server/discover" ? handshake : calls;
        request.RequestUri = new UriBuilder(request.RequestUri!) { Host = instance.Host, Port = instance.Port }.Uri;
        var response = await base.SendAsync(request, cancellationToken);
        lock (_gate)
        {
            var session = request.Headers.TryGetValues("Mcp-Session-Id", out var values) ? values.First() : null;
            _requests.Add(new RoutedRequest(instance, request.Method, method, session, response.StatusCode));
        }

        return response;
    }

    private static async Task<string?> JsonRpcMethodAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return null;
        }

        // Buffered, so the body read here is still there to send.
        await request.Content.LoadIntoBufferAsync(cancellationToken);
        using var body = JsonDocument.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("method", out var name)
            ? name.GetString()
            : null;
    }
}
