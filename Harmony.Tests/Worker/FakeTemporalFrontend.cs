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
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.Worker;

/// <summary>
/// Stands in for Temporal's gRPC frontend (cleartext HTTP/2), enough for a worker to connect and poll: every unary call
/// gets an empty answer, and polls are held open until the worker shuts down, as a server with no work does, unless
/// the test queued a workflow or activity task for them.
/// </summary>
internal sealed class FakeTemporalFrontend : IAsyncDisposable
{
    private const string Service = "temporal.api.workflowservice.v1.WorkflowService";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<IMessage> _requests = new();
    private readonly CancellationTokenSource _releasePolls = new();

    private FakeTemporalFrontend(WebApplication app) => _app = app;

    public string Address { get; private set; } = string.Empty;

    public IReadOnlyList<IMessage> Requests => [.. _requests];

    private readonly ConcurrentQueue<PollActivityTaskQueueResponse> _activityTasks = new();

    /// <summary>Completes when the worker reports an activity task completed.</summary>
    public TaskCompletionSource<RespondActivityTaskCompletedRequest> ActivityCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the worker reports an activity task failed.</summary>
    public TaskCompletionSource<RespondActivityTaskFailedRequest> ActivityFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, calls of this method are refused with gRPC status NOT_FOUND, as for an unknown namespace.</summary>
    public string? RefusedMethod { get; set; }

    private readonly ConcurrentQueue<PollWorkflowTaskQueueResponse> _workflowTasks = new();

    /// <summary>Completes when the worker reports a workflow task completed, with the commands the workflow gave.</summary>
    public TaskCompletionSource<RespondWorkflowTaskCompletedRequest> WorkflowTaskCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the worker reports a workflow task failed.</summary>
    public TaskCompletionSource<RespondWorkflowTaskFailedRequest> WorkflowTaskFailed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Hands a workflow task to the next workflow poll.</summary>
    public void EnqueueWorkflowTask(PollWorkflowTaskQueueResponse task) => _workflowTasks.Enqueue(task);

    /// <summary>Hands an activity task to the next activity poll.</summary>
    public void EnqueueActivityTask(PollActivityTaskQueueResponse task) => _activityTasks.Enqueue(task);

    /// <summary>Completes when a worker has polled the given task queue for activity tasks.</summary>
    public TaskCompletionSource<PollActivityTaskQueueRequest> ActivityPoll { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeTemporalFrontend> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var frontend = new FakeTemporalFrontend(app);
        app.MapPost($"/{Service}/{{method}}", (string method, HttpContext context) => frontend.HandleAsync(method, context));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        frontend.Address = new Uri(address).Authority;
        return frontend;
    }

    public async ValueTask DisposeAsync()
    {
        await _releasePolls.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _releasePolls.Dispose();
    }

    private async Task HandleAsync(string method, HttpContext context)
    {
        var descriptor = ServiceReflection.Descriptor.Services[0].FindMethodByName(method);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = descriptor.InputType.Parser.ParseFrom(Unframe(body.ToArray(), context.Request.Headers["grpc-encoding"] == "gzip"));
        _requests.Enqueue(request);
        if (method == RefusedMethod)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "5");
            context.Response.AppendTrailer("grpc-message", $"{method} refused by the test");
            return;
        }

        switch (request)
        {
            case PollActivityTaskQueueRequest activityPoll:
                ActivityPoll.TrySetResult(activityPoll);
                if (_activityTasks.TryDequeue(out var task))
                {
                    await AnswerAsync(context, task);
                    return;
                }

                break;
            case PollWorkflowTaskQueueRequest when _workflowTasks.TryDequeue(out var workflowTask):
                await AnswerAsync(context, workflowTask);
                return;
            case RespondWorkflowTaskCompletedRequest completed:
                WorkflowTaskCompleted.TrySetResult(completed);
                break;
            case RespondWorkflowTaskFailedRequest failed:
                WorkflowTaskFailed.TrySetResult(failed);
                break;
            case RespondActivityTaskCompletedRequest completed:
                ActivityCompleted.TrySetResult(completed);
                break;
            case RespondActivityTaskFailedRequest failed:
                ActivityFailed.TrySetResult(failed);
                break;
        }

        if (method == "ShutdownWorker")
        {
            await _releasePolls.CancelAsync();
        }

        if (method.StartsWith("Poll", StringComparison.Ordinal))
        {
            // A real server holds a poll until work arrives or about a minute passes; here, until the worker shuts down.
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (_releasePolls.Token.Register(() => released.TrySetResult()))
            using (context.RequestAborted.Register(() => released.TrySetResult()))
            {
                await released.Task;
            }

            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        // An empty message of the method's answer type: "nothing to report", which is all a worker without work needs.
        await AnswerAsync(context, descriptor.OutputType.Parser.ParseFrom([]));
    }

    private static async Task AnswerAsync(HttpContext context, IMessage message)
    {
        var answer = message.ToByteArray();
        context.Response.ContentType = "application/grpc";
        var frame = new byte[5 + answer.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)answer.Length);
        answer.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static byte[] Unframe(byte[] frame, bool gzip)
    {
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1, 4));
        var message = frame.AsSpan(5, length).ToArray();
        if (!gzip || frame[0] == 0)
        {
            return message;
        }

        using var input = new GZipStream(new MemoryStream(message), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
