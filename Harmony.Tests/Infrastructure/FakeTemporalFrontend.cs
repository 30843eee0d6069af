using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Infrastructure;

/// <summary>
/// A stand-in for Temporal's gRPC frontend that the real Temporal client talks to over h2c. It records every
/// request, typed, and answers with whatever the test set for that method; methods it was not told about answer
/// UNIMPLEMENTED. Only what Harmony's client calls is faked: the requests are the real SDK's.
/// </summary>
public sealed class FakeTemporalFrontend : IAsyncDisposable
{
    private const string ServicePrefix = "/temporal.api.workflowservice.v1.WorkflowService/";

    private readonly ConcurrentDictionary<string, Func<IMessage, CancellationToken, Task<IMessage>>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Method, IMessage Request)> _requests = new();
    private WebApplication? _app;

    private FakeTemporalFrontend()
    {
        On<GetSystemInfoRequest>("GetSystemInfo", _ => new GetSystemInfoResponse());
    }

    /// <summary>host:port, as TEMPORAL_ADDRESS takes it.</summary>
    public string Address { get; private set; } = string.Empty;

    public int Port { get; private set; }

    public IReadOnlyList<(string Method, IMessage Request)> Requests => [.. _requests];

    public IEnumerable<T> RequestsOf<T>() where T : IMessage => _requests.Select(r => r.Request).OfType<T>();

    /// <summary>Starts on a free loopback port, or on <paramref name="port"/> to come back where a stopped one was.</summary>
    public static async Task<FakeTemporalFrontend> StartAsync(int port = 0, FakeTemporalFrontend? reuseHandlersOf = null)
    {
        var fake = new FakeTemporalFrontend();
        if (reuseHandlersOf is not null)
        {
            foreach (var (method, handler) in reuseHandlersOf._handlers)
            {
                fake._handlers[method] = handler;
            }
        }

        await fake.StartServerAsync(port).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Sets the answer to one RPC.</summary>
    public FakeTemporalFrontend On<TRequest>(string method, Func<TRequest, IMessage> respond) where TRequest : IMessage
    {
        _handlers[method] = (request, _) => Task.FromResult(respond((TRequest)request));
        return this;
    }

    /// <summary>Sets an asynchronous answer to one RPC, for answers that wait (long polls).</summary>
    public FakeTemporalFrontend OnAsync<TRequest>(string method, Func<TRequest, CancellationToken, Task<IMessage>> respond)
        where TRequest : IMessage
    {
        _handlers[method] = (request, cancellationToken) => respond((TRequest)request, cancellationToken);
        return this;
    }

    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StartServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(1));

        // Cleartext HTTP/2 only: offering HTTP/1.1 too would make Kestrel speak HTTP/1.1 to the client.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost(ServicePrefix + "{method}", HandleAsync);
        app.MapFallback(context => WriteStatusAsync(context, 12, $"{context.Request.Path} is not faked"));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        Address = $"127.0.0.1:{Port}";
        _app = app;
    }

    private async Task HandleAsync(HttpContext context, string method)
    {
        var descriptor = ServiceReflection.Descriptor.Services[0].FindMethodByName(method);
        if (descriptor is null || !_handlers.TryGetValue(method, out var handler))
        {
            await WriteStatusAsync(context, 12, $"{method} is not faked").ConfigureAwait(false);
            return;
        }

        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            var request = descriptor.InputType.Parser.ParseFrom(ReadFrame(body.ToArray()));
            _requests.Enqueue((method, request));
            var response = await handler(request, context.RequestAborted).ConfigureAwait(false);
            var payload = response.ToByteArray();
            context.Response.ContentType = "application/grpc";
            var frame = new byte[5 + payload.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
            payload.CopyTo(frame, 5);
            await context.Response.Body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up on a long poll; nothing to answer.
        }
        catch (GrpcStatusException status)
        {
            await WriteStatusAsync(context, status.Code, status.Message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A fake must answer every failure with a status the client does not retry.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await WriteStatusAsync(context, 9, exception.Message).ConfigureAwait(false);
        }
    }

    // The client gzips every message: flag byte 1, then a big-endian length, then the compressed bytes.
    private static byte[] ReadFrame(byte[] frame)
    {
        var compressed = frame[0] == 1;
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1));
        var message = frame.AsSpan(5, length).ToArray();
        if (!compressed)
        {
            return message;
        }

        using var gzip = new GZipStream(new MemoryStream(message), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    // "Trailers-only": the status travels in the headers of an empty 200 response.
    private static Task WriteStatusAsync(HttpContext context, int code, string message)
    {
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }
}

/// <summary>Thrown by a fake handler to answer with a gRPC status.</summary>
public sealed class GrpcStatusException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
