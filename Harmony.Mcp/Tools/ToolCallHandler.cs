using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harmony.Core.Contexts;
using Harmony.Core.Errors;
using Harmony.Core.Workflows;
using Harmony.Mcp.Identity;
using Harmony.Mcp.Runners;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Harmony.Mcp.Tools;

/// <summary>
/// Answers <c>tools/call</c>. The checks run in a fixed order and the first that fails answers: the signed
/// envelope, the tool's existence, its arguments, the caller's roles, the RESTRICTED preflight; then the runner.
/// </summary>
public sealed partial class ToolCallHandler(
    ToolDirectory directory,
    CallerResolver callers,
    TemporalWorkflowRunner runner,
    ILogger<ToolCallHandler> logger)
{
    private const string TemporalHint =
        "Check that Temporal is running and reachable at TEMPORAL_ADDRESS, and that TEMPORAL_NAMESPACE exists.";

    public async ValueTask<CallToolResult> HandleAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Params?.Name ?? string.Empty;

        // One span per call, so the trace id in the answer finds the call's logs and the workflow it started.
        using var span = McpTelemetry.Source.StartActivity($"tools/call {name}");
        var caller = callers.Resolve(context.JsonRpcRequest.Params, context.User);
        span?.SetTag("harmony.tool", name);
        span?.SetTag("harmony.trace_id", caller.TraceId);
        using var envelopeSpan = StartInEnvelopeTrace(name, caller.TraceId, span);
        envelopeSpan?.SetTag("harmony.tool", name);
        envelopeSpan?.SetTag("harmony.trace_id", caller.TraceId);
        var answer = await AnswerAsync(context, name, caller, cancellationToken).ConfigureAwait(false);
        if (answer.IsError == true && answer.StructuredContent is { } failure)
        {
            span?.SetStatus(ActivityStatusCode.Error, failure.GetProperty("error").GetString());
            envelopeSpan?.SetStatus(ActivityStatusCode.Error, failure.GetProperty("error").GetString());
        }

        return answer;
    }

    /// <summary>
    /// When a signed envelope names a trace of its own (a gateway correlating by it), the work joins that trace, so
    /// the workflow's spans sit under the <c>trace_id</c> the caller gets back; a link keeps the way back to this
    /// request. The envelope carries a trace id but no span id, so the parent span id is made up: trace viewers show
    /// this span as the top of the envelope's trace.
    /// </summary>
    private static Activity? StartInEnvelopeTrace(string name, string traceId, Activity? requestSpan)
    {
        if (requestSpan is null || !IsW3CTraceId(traceId) || requestSpan.TraceId.ToHexString() == traceId)
        {
            return null;
        }

        var parent = new ActivityContext(
            ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        return McpTelemetry.Source.StartActivity(
            $"tools/call {name}", ActivityKind.Internal, parent, links: [new ActivityLink(requestSpan.Context)]);
    }

    private static bool IsW3CTraceId(string value) =>
        value.Length == 32 && value.All(char.IsAsciiHexDigitLower) && value.Any(c => c != '0');

    private async ValueTask<CallToolResult> AnswerAsync(
        RequestContext<CallToolRequestParams> context, string name, CallerResolution caller, CancellationToken cancellationToken)
    {
        if (caller.Identity is not { } identity)
        {
            return ToolAnswers.Failure(
                ToolErrorCodes.Unauthorized,
                caller.TraceId,
                details: new JsonObject { ["code"] = caller.EnvelopeError, ["message"] = caller.EnvelopeErrorMessage },
                hint: "Sign the call: _meta.golden = { alg: \"HMAC-SHA256\", payload, sig } with the shared secret.");
        }

        var traceId = caller.TraceId;
        Activity.Current?.SetTag("harmony.initiator", identity.InitiatorId);
        if (!directory.TryGet(name, out var entry))
        {
            // The MCP specification makes an unknown tool a protocol error, not a tool result; a JSON-RPC error has no
            // room for trace_id beside its message, so the message carries it.
            throw new McpProtocolException($"Unknown tool: '{name}' (trace_id {traceId})", McpErrorCode.InvalidParams);
        }

        var arguments = ArgumentsObject(context.Params?.Arguments);
        var errors = entry.ArgumentsSchema.Validate(arguments);
        if (errors.Count > 0)
        {
            return ToolAnswers.Failure(
                ToolErrorCodes.InputValidationFailed,
                traceId,
                name,
                new JsonObject { ["errors"] = JsonSerializer.SerializeToNode(errors) },
                "Fix the arguments to match the tool's inputSchema; every error names the offending path.");
        }

        if (!entry.IsAllowedFor(identity.Roles))
        {
            LogForbidden(logger, name, identity.InitiatorId, traceId);
            return ToolAnswers.Failure(
                ToolErrorCodes.Forbidden,
                traceId,
                name,
                new JsonObject { ["missingRoles"] = JsonSerializer.SerializeToNode(entry.MissingRoles(identity.Roles)) });
        }

        if (entry.Classification == DataClassification.Restricted)
        {
            // TODO: RESTRICTED tools are always refused; an approval flow (a human signal on the workflow) is not built yet.
            return ToolAnswers.Failure(
                ToolErrorCodes.ApprovalRequired,
                traceId,
                name,
                new JsonObject { ["classification"] = DataClassification.Restricted.ToWireName() },
                "This tool changes production and is classified RESTRICTED; this server runs it only after approval, which it cannot grant yet.");
        }

        try
        {
            var outcome = await RunAsync(entry, arguments, identity, traceId, cancellationToken).ConfigureAwait(false);
            return Answer(outcome, name, traceId);
        }
#pragma warning disable CA1031 // Whatever the runner throws, the caller gets a tool error with its trace_id.
        catch (Exception exception)
            when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogRunFailed(logger, exception, name, traceId);
            return ToolAnswers.Failure(
                ToolErrorCodes.RunnerError,
                traceId,
                name,
                new JsonObject { ["message"] = exception.Message, ["type"] = exception.GetType().Name },
                "The server could not run the tool or read its result; its log has the details under this trace_id.");
        }
    }

    private Task<RunOutcome> RunAsync(
        ToolEntry entry, JsonElement arguments, CallerIdentity identity, string traceId, CancellationToken cancellationToken)
    {
        var security = identity.ToSecurityContext(traceId);
        var golden = identity.ToGoldenContext(traceId);
        if (entry.Blueprint is { } blueprint)
        {
            return runner.StartBlueprintAsync(blueprint.Id, blueprint.WorkflowType, arguments, security, golden, cancellationToken);
        }

        var input = SplitCapabilityArguments(entry.Name, arguments);
        return runner.RunCapabilityAsync(entry.Name, input, security, golden, cancellationToken);
    }

    private static CallToolResult Answer(RunOutcome outcome, string tool, string traceId) => outcome switch
    {
        RunOutcome.Completed completed =>
            ToolAnswers.Success(ResultNode(completed.Result), traceId, completed.Handle),
        RunOutcome.Started started =>
            ToolAnswers.Success(ToolAnswers.Meta(started.Handle), traceId, started.Handle),
        RunOutcome.StillRunning running => ToolAnswers.Success(
            new JsonObject
            {
                ["workflowId"] = running.Handle.WorkflowId,
                ["runId"] = running.Handle.RunId,
                ["statusUrl"] = running.Handle.StatusUrl,
                ["status"] = "RUNNING",
            },
            traceId,
            running.Handle),
        RunOutcome.WorkerNotRunning notRunning => ToolAnswers.Failure(
            ToolErrorCodes.WorkerNotRunning,
            traceId,
            tool,
            new JsonObject
            {
                ["taskQueue"] = notRunning.TaskQueue,
                ["lastPoll"] = notRunning.LastPoll?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            $"The workflow was started, but no worker has polled task queue '{notRunning.TaskQueue}' recently. Start Harmony.Worker (same TEMPORAL_TASK_QUEUE); the workflow will run when it does.",
            notRunning.Handle),
        RunOutcome.Failed failed => ToolAnswers.Failure(
            ToolErrorCodes.RunnerError,
            traceId,
            tool,
            new JsonObject
            {
                ["message"] = failed.Message,
                ["type"] = failed.FailureType,
                ["nonRetryable"] = failed.NonRetryable,
            },
            meta: failed.Handle),
        RunOutcome.TemporalUnavailable unavailable => ToolAnswers.Failure(
            ToolErrorCodes.TemporalUnavailable,
            traceId,
            tool,
            new JsonObject { ["reason"] = unavailable.Reason },
            TemporalHint,
            unavailable.Handle),
        RunOutcome.NotConfigured => ToolAnswers.Failure(
            ToolErrorCodes.NotConfigured,
            traceId,
            tool,
            hint: "TEMPORAL_ADDRESS is empty, so this server has no runner. Set it to Temporal's frontend, for example localhost:7233."),
        _ => throw new InvalidOperationException($"Unhandled run outcome {outcome.GetType().Name}."),
    };

    /// <summary>Takes <c>config</c> and <c>secretRefs</c> out of a capability's arguments; the rest is its input.</summary>
    private static ExecuteCapabilityWorkflowInput SplitCapabilityArguments(string capabilityId, JsonElement arguments)
    {
        JsonElement? config = null;
        Dictionary<string, string>? secretRefs = null;
        var input = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in arguments.EnumerateObject())
        {
            switch (property.Name)
            {
                case ToolArguments.Config:
                    config = property.Value;
                    break;
                case ToolArguments.SecretRefs when property.Value.ValueKind == JsonValueKind.Object:
                    secretRefs = property.Value.EnumerateObject()
                        .Where(p => p.Value.ValueKind == JsonValueKind.String)
                        .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
                    break;
                default:
                    input[property.Name] = property.Value;
                    break;
            }
        }

        return new ExecuteCapabilityWorkflowInput(capabilityId, JsonSerializer.SerializeToElement(input), config, secretRefs);
    }

    // A workflow that returns nothing completes with no payload, which reads back as an undefined element.
    private static JsonNode? ResultNode(JsonElement result) =>
        result.ValueKind == JsonValueKind.Undefined ? null : JsonSerializer.SerializeToNode(result);

    // The SDK hands the arguments as a dictionary of elements; one object element is what the schema validates.
    private static JsonElement ArgumentsObject(IDictionary<string, JsonElement>? arguments) =>
        JsonSerializer.SerializeToElement(arguments ?? new Dictionary<string, JsonElement>());

    [LoggerMessage(Level = LogLevel.Error, Message = "Running {Tool} failed unexpectedly (trace {TraceId})")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string tool, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Tool} to {InitiatorId}: missing roles (trace {TraceId})")]
    private static partial void LogForbidden(ILogger logger, string tool, string initiatorId, string traceId);
}
