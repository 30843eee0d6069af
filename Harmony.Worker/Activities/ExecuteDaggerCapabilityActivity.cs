using System.Diagnostics;
using System.Text.Json;
using Harmony.Core.Catalog;
using Harmony.Core.Workflows;
using Harmony.Worker.Dagger;
using Harmony.Worker.Secrets;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace Harmony.Worker.Activities;

/// <summary>
/// Runs one capability: validates the call against the catalog, resolves its secrets, runs its container in the
/// Dagger engine and returns the container's JSON output, validated against the capability's output schema.
/// </summary>
internal sealed partial class ExecuteDaggerCapabilityActivity(
    HarmonyCatalog catalog,
    CapabilityExecutionSettings settings,
    SecretResolver secrets,
    DaggerClient dagger)
{
    /// <summary>How much of a container's output an error message quotes.</summary>
    public const int QuotedOutputLimit = 2048;

    [Activity(WorkflowNames.ExecuteDaggerCapabilityActivity)]
    public async Task<JsonElement> ExecuteAsync(ExecuteDaggerCapabilityInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var logger = context.Logger;
        if (input.Ctx is not { } golden)
        {
            throw new ApplicationFailureException(
                HarmonyFailureTypes.GoldenContextMissingMessage, HarmonyFailureTypes.ContextMissing, nonRetryable: true);
        }

        var traceId = input.TraceId ?? golden.TraceId;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["trace_id"] = traceId,
            ["capability_id"] = input.CapId,
            ["initiator_id"] = input.RunAs,
            ["app_id"] = golden.AppId,
        });
        using var span = HarmonyTelemetry.Source.StartActivity($"capability {input.CapId}");
        span?.SetTag("trace_id", traceId);
        span?.SetTag("capability_id", input.CapId);
        span?.SetTag("initiator_id", input.RunAs);
        span?.SetTag("app_id", golden.AppId);

        try
        {
            var output = await RunAsync(input, context, logger).ConfigureAwait(false);
            LogCompleted(logger, input.CapId, context.Info.Attempt);
            return output;
        }
        catch (ApplicationFailureException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.ErrorType);
            LogFailed(logger, input.CapId, e.ErrorType ?? "unknown", e.Message);
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error, "cancelled");
            LogCancelled(logger, input.CapId);
            throw;
        }
    }

    private async Task<JsonElement> RunAsync(ExecuteDaggerCapabilityInput input, ActivityExecutionContext context, ILogger logger)
    {
        if (!settings.DaggerEnabled)
        {
            throw new ApplicationFailureException(
                "Dagger execution is disabled on this worker: set ENABLE_DAGGER_E2E=1 to run capability containers.",
                HarmonyFailureTypes.DaggerE2EDisabled,
                nonRetryable: true);
        }

        // Callers written in another language may leave out what the contract requires; that is a bad call, not a crash.
        if (input.CapId is null || !catalog.TryGetCapability(input.CapId, out var capability))
        {
            throw new ApplicationFailureException(
                $"Capability '{input.CapId}' is not in this worker's catalog.", HarmonyFailureTypes.UnknownCapability, nonRetryable: true);
        }

        var references = input.SecretRefs ?? new Dictionary<string, string>();
        Validate(capability, input, references);

        var spec = capability.BuildContainer(new ContainerRequest(
            input.Ctx!, input.Config, new HashSet<string>(references.Keys, StringComparer.Ordinal), input.Input));
        var needed = spec.SecretEnvironment.Values.Concat(spec.SecretFiles.Values).Distinct(StringComparer.Ordinal).ToList();
        var missing = needed.Where(name => !references.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new ApplicationFailureException(
                $"Capability {capability.Id} needs the secret reference(s) {string.Join(", ", missing)}, which the call did not give.",
                HarmonyFailureTypes.ValidationFailed,
                nonRetryable: true);
        }

        // From here on the run waits on OpenBao and the engine, so it heartbeats throughout: a slow secret read must
        // not pass for a dead worker, and only a heartbeat lets Temporal deliver a cancellation.
        var cancellationToken = context.CancellationToken;
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeating = HeartbeatAsync(context, settings.HeartbeatInterval, heartbeats.Token);
        ResolvedSecrets resolved;
        string stdout;
        try
        {
            resolved = await ResolveSecretsAsync(references, needed, cancellationToken).ConfigureAwait(false);
            var described = string.Join(",", needed.Select(name => DescribeReference(name, references[name])));
            LogRunning(logger, capability.Id, spec.Image, context.Info.Attempt, described);
            stdout = await RunContainerAsync(capability, spec, resolved, context).ConfigureAwait(false);
        }
        finally
        {
            await heartbeats.CancelAsync().ConfigureAwait(false);
            await heartbeating.ConfigureAwait(false);
        }

        return ParseOutput(capability, resolved.Scrub(stdout));
    }

    private async Task<ResolvedSecrets> ResolveSecretsAsync(
        IReadOnlyDictionary<string, string> references, IEnumerable<string> needed, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.ResolveAsync(references, needed, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretUnavailableException e)
        {
            throw new ApplicationFailureException(e.Message, HarmonyFailureTypes.SecretUnavailable);
        }
    }

    private async Task<string> RunContainerAsync(
        CapabilityDefinition capability, ContainerSpec spec, ResolvedSecrets resolved, ActivityExecutionContext context)
    {
        var cancellationToken = context.CancellationToken;
        try
        {
            // One id per attempt of this activity in this workflow run: a reset workflow reuses activity ids.
            var info = context.Info;
            var runId = $"{info.WorkflowId}/{info.WorkflowRunId}/{info.ActivityId}/{info.Attempt}";
            var secretIds = await dagger.SetSecretsAsync(resolved.Values, runId, cancellationToken).ConfigureAwait(false);
            return await dagger.RunAsync(spec, secretIds, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (DaggerExecException e)
        {
            var stderr = Quote(resolved.Scrub(e.Stderr));
            throw new ApplicationFailureException(
                $"Capability {capability.Id} failed: its container exited with code {e.ExitCode}. stderr: {stderr}",
                HarmonyFailureTypes.ContainerFailed,
                details: [new ContainerFailure(e.ExitCode, stderr)]);
        }
        catch (DaggerUnavailableException e)
        {
            throw new ApplicationFailureException(resolved.Scrub(e.Message), HarmonyFailureTypes.DaggerUnavailable);
        }
    }

    private static async Task HeartbeatAsync(ActivityExecutionContext context, TimeSpan interval, CancellationToken cancellationToken)
    {
        // The first beat goes out at once: the server then knows the run started, however short the interval.
        context.Heartbeat();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                context.Heartbeat();
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended or was cancelled; either way there is nothing left to report.
        }
    }

    private static void Validate(CapabilityDefinition capability, ExecuteDaggerCapabilityInput input, IReadOnlyDictionary<string, string> references)
    {
        var errors = new List<SchemaError>();
        if (input.Input.ValueKind == JsonValueKind.Undefined)
        {
            // A caller of another language may leave the input out altogether; that is invalid input, not a crash.
            errors.Add(new SchemaError("input", "required", "The call has no input."));
        }
        else
        {
            errors.AddRange(capability.InputSchema.Validate(input.Input).Select(e => e with { Path = "input" + e.Path }));
        }

        if (input.Config is { } config && capability.ConfigSchema is { } configSchema)
        {
            errors.AddRange(configSchema.Validate(config).Select(e => e with { Path = "config" + e.Path }));
        }

        foreach (var name in references.Where(r => r.Value is null).Select(r => r.Key).Order(StringComparer.Ordinal))
        {
            errors.Add(new SchemaError($"secretRefs/{name}", "type", "The reference is null; it must be a string."));
        }

        if (capability.SecretsSchema is { } secretsSchema)
        {
            // The references themselves may be plaintext secrets, so the schema sees a placeholder of the same
            // emptiness instead, and no message can quote one.
            var names = JsonSerializer.SerializeToElement(references.ToDictionary(
                r => r.Key, r => string.IsNullOrEmpty(r.Value) ? string.Empty : "reference", StringComparer.Ordinal));
            errors.AddRange(secretsSchema.Validate(names).Select(e => e with { Path = "secretRefs" + e.Path }));
        }

        // A malformed OpenBao path stays malformed however often it is retried. Paths may be quoted; values never.
        var storeReferences = references
            .Where(r => r.Value is not null && SecretReference.IsStoreReference(r.Value))
            .OrderBy(r => r.Key, StringComparer.Ordinal);
        foreach (var (name, reference) in storeReferences)
        {
            try
            {
                SecretReference.Parse(reference);
            }
            catch (FormatException e)
            {
                errors.Add(new SchemaError($"secretRefs/{name}", "format", e.Message));
            }
        }

        if (errors.Count > 0)
        {
            var summary = string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
            throw new ApplicationFailureException(
                $"Capability {capability.Id} was called with invalid arguments: {summary}",
                HarmonyFailureTypes.ValidationFailed,
                nonRetryable: true,
                details: [errors]);
        }
    }

    private static JsonElement ParseOutput(CapabilityDefinition capability, string stdout)
    {
        JsonElement output;
        try
        {
            output = JsonDocument.Parse(stdout).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ApplicationFailureException(
                $"Capability {capability.Id} printed output that is not JSON: {Quote(stdout)}",
                HarmonyFailureTypes.ValidationFailed,
                nonRetryable: true);
        }

        var errors = capability.OutputSchema.Validate(output);
        if (errors.Count > 0)
        {
            var summary = string.Join("; ", errors.Select(e => $"output{e.Path}: {e.Message}"));
            throw new ApplicationFailureException(
                $"Capability {capability.Id} printed output that does not match its output schema ({summary}): {Quote(stdout)}",
                HarmonyFailureTypes.ValidationFailed,
                nonRetryable: true);
        }

        return output;
    }

    private static string Quote(string text) =>
        text.Length <= QuotedOutputLimit ? text : $"{text[..QuotedOutputLimit]}… ({text.Length} characters in all)";

    private static string DescribeReference(string name, string reference) =>
        SecretReference.IsStoreReference(reference) ? $"{name}={reference}" : $"{name}=(plaintext)";

    /// <summary>What a failed container run reports besides its message.</summary>
    internal sealed record ContainerFailure(int ExitCode, string Stderr);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Running capability {CapabilityId} in {Image}, attempt {Attempt}, secrets {SecretReferences}")]
    private static partial void LogRunning(ILogger logger, string capabilityId, string image, int attempt, string secretReferences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capability {CapabilityId} completed on attempt {Attempt}")]
    private static partial void LogCompleted(ILogger logger, string capabilityId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Capability {CapabilityId} failed with {ErrorType}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string capabilityId, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Capability {CapabilityId} was cancelled; its container is stopped with the request")]
    private static partial void LogCancelled(ILogger logger, string capabilityId);
}
