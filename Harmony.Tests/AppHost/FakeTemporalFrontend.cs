using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harmony.Tests.AppHost;

/// <summary>
/// A stand-in for Temporal's frontend over h2c: answers gRPC health checks with <see cref="HealthStatus"/>, every
/// WorkflowService call with an empty message (or <see cref="FailWith"/>), and records what it was asked.
/// </summary>
internal sealed class FakeTemporalFrontend : IAsyncDisposable
{
    private const string HealthCheckPath = "/grpc.health.v1.Health/Check";
    private const string WorkflowServicePrefix = "/temporal.api.workflowservice.v1.WorkflowService/";

    private readonly WebApplication _app;

    private FakeTemporalFrontend(WebApplication app) => _app = app;

    /// <summary>The health status to answer: 1 SERVING, 2 NOT_SERVING.</summary>
    public int HealthStatus { get; set; } = 1;

    /// <summary>A gRPC status code to answer WorkflowService calls with instead of success (6 is ALREADY_EXISTS).</summary>
    public int? FailWith { get; set; }

    /// <summary>How many WorkflowService calls fail with <see cref="FailWith"/> before the rest succeed.</summary>
    public int FailuresLeft { get; set; } = int.MaxValue;

    /// <summary>Each call: the method's path and its request body, decompressed.</summary>
    public ConcurrentQueue<(string Path, byte[] Body)> Calls { get; } = new();

    public string Address { get; private set; } = "";

    public static async Task<FakeTemporalFrontend> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var fake = new FakeTemporalFrontend(builder.Build());
        fake._app.MapPost("/{**method}", fake.AnswerAsync);
        await fake._app.StartAsync(cancellationToken);
        var address = new Uri(fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        fake.Address = $"{address.Host}:{address.Port}";
        return fake;
    }

    /// <summary>The request of the first call to <paramref name="method"/>, parsed.</summary>
    public T Request<T>(string method, MessageParser<T> parser)
        where T : IMessage<T> =>
        parser.ParseFrom(Calls.First(c => c.Path == WorkflowServicePrefix + method).Body);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Calls.Enqueue((path, await ReadMessageAsync(context.Request)));
        context.Response.ContentType = "application/grpc";

        if (path.StartsWith(WorkflowServicePrefix, StringComparison.Ordinal) && !path.EndsWith("/GetSystemInfo", StringComparison.Ordinal)
            && FailWith is { } code && FailuresLeft > 0)
        {
            FailuresLeft--;
            // Trailers-only error: the status travels in the headers and there is no body.
            context.Response.Headers["grpc-status"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = "fake failure";
            return;
        }

        // HealthCheckResponse { status = HealthStatus } is field 1, varint; every other answer is an empty message.
        byte[] message = path == HealthCheckPath ? [0x08, (byte)HealthStatus] : [];
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static async Task<byte[]> ReadMessageAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (bytes.Length < 5)
        {
            return [];
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var payload = bytes[5..(5 + length)];
        if (bytes[0] == 0)
        {
            return payload;
        }

        // The Temporal client gzips every request.
        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        return plain.ToArray();
    }
}
