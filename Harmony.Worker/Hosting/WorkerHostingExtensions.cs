using Harmony.Core.Catalog;
using Harmony.Worker.Activities;
using Harmony.Worker.Dagger;
using Harmony.Worker.Hosting;
using Harmony.Worker.Secrets;
using Harmony.Worker.Tracing;
using Harmony.Worker.Workflows;
using Temporalio.Common;
using Temporalio.Extensions.Hosting;
using Temporalio.Runtime;
using Temporalio.Worker;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wires the Temporal worker, its workflows and the capability activity into a host.</summary>
internal static class WorkerHostingExtensions
{
    public static TBuilder AddHarmonyWorker<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        var settings = WorkerSettings.From(configuration);
        var services = builder.Services;
        services.AddSingleton(settings);

        // Temporal's core writes its own logs to stdout unless they are forwarded; this sends them through ILogger.
        services.AddSingleton(provider => new TemporalRuntime(new TemporalRuntimeOptions(new TelemetryOptions
        {
            Logging = new LoggingOptions
            {
                Forwarding = new LogForwardingOptions { Logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Temporalio.Core") },
            },
        })));

        services.AddSingleton<TemporalConnectionState>();
        services.AddHealthChecks().AddCheck<TemporalConnectionState>("temporal");
        services.AddHostedService<ResilientTemporalWorker>();

        // Activities get the host's whole grace period minus a margin to finish before they are cancelled.
        services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownGrace + TimeSpan.FromSeconds(5));

        services.AddSingleton(BuiltInCatalog.Default);
        services.AddSingleton(CapabilityExecutionSettings.From(configuration));
        services.AddSingleton(OpenBaoSettings.From(configuration));
        services.AddSingleton(DaggerSettings.From(configuration));
        services.AddSingleton<DaggerSessionProvider>();
        services.AddHostedService<DaggerSessionWarmup>();
        services.AddSingleton<SecretResolver>();

        // The engine holds the request open while the container runs, so the default resilience timeouts and
        // retries of the service defaults must not apply: the activity's own timeout and retry policy govern.
#pragma warning disable EXTEXP0001 // Experimental API; the alternative is an HttpClient outside the factory and its telemetry.
        services.AddHttpClient<DaggerClient>().RemoveAllResilienceHandlers()
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001
        services.AddHttpClient<OpenBaoClient>();

        // The deployment version identifies the build to Temporal (in worker listings and task history) without
        // opting into versioned routing, which needs server-side deployment setup first.
        var deployment = new WorkerDeploymentOptions(
            new WorkerDeploymentVersion(WorkerSettings.DeploymentName, settings.BuildId), useWorkerVersioning: false);
        // The options are registered under the task queue's name alone, which is how ResilientTemporalWorker reads them.
        new TemporalWorkerServiceOptionsBuilder(settings.TaskQueue, services)
            .ConfigureOptions(options =>
            {
                options.TaskQueue = settings.TaskQueue;
                options.DeploymentOptions = deployment;
                options.GracefulShutdownTimeout = settings.ShutdownGrace;
                options.MaxConcurrentActivities = settings.MaxConcurrentActivities;
                options.Interceptors = [new TraceContextWorkerInterceptor()];
            })
            .AddScopedActivities<ExecuteDaggerCapabilityActivity>()
            .AddWorkflow<ExecuteCapabilityWorkflow>()
            .AddWorkflow<MathPipelineWorkflow>()
            .AddWorkflow<VerifiedReleaseWorkflow>();
        return builder;
    }
}
