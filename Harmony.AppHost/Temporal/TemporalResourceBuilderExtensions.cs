using Google.Protobuf.WellKnownTypes;
using Harmony.AppHost.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Harmony.AppHost.Temporal;

/// <summary>Temporal on PostgreSQL, the way Temporal's own compose samples run it now that auto-setup is gone.</summary>
internal static class TemporalResourceBuilderExtensions
{
    // The versions Temporal's current compose samples pin (temporalio/samples-server, compose/.env). The registry is
    // named because Podman, unlike Docker, refuses short image names where short-name resolution is enforcing.
    private const string Registry = "docker.io";
    private const string ServerImage = "temporalio/server";
    private const string AdminToolsImage = "temporalio/admin-tools";
    private const string ServerTag = "1.30.1";
    private const string UiImage = "temporalio/ui";
    private const string UiTag = "2.34.0";

    private const int FrontendPort = 7233;
    private const int UiPort = 8080;

    // The server's built-in config template reads this path, relative to /etc/temporal, and refuses to start without it.
    private const string DynamicConfigDirectory = "/etc/temporal/config/dynamicconfig";
    private const string DynamicConfigFile = "config/dynamicconfig/development-sql.yaml";
    private const string ScriptsDirectory = "/harmony";

    // What Temporal's compose samples run (scripts/create-namespace.sh): wait for the frontend, then create if absent.
    private const string RegisterNamespaceScript =
        "until temporal operator cluster health --address \"$TEMPORAL_ADDRESS\"; do sleep 2; done; "
        + "temporal operator namespace describe -n \"$TEMPORAL_NAMESPACE\" --address \"$TEMPORAL_ADDRESS\" "
        + "|| temporal operator namespace create -n \"$TEMPORAL_NAMESPACE\" --retention 72h --address \"$TEMPORAL_ADDRESS\"";

    /// <summary>
    /// Adds a Temporal server stored in <paramref name="postgres"/>, preceded by a one-shot <c>{name}-schema</c> job that
    /// creates or updates its schema, and followed by the registration of <paramref name="temporalNamespace"/>.
    /// </summary>
    public static IResourceBuilder<TemporalServerResource> AddTemporalServer(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<PostgresServerResource> postgres,
        string temporalNamespace)
    {
        var server = new TemporalServerResource(name);

        var schema = builder.AddContainer($"{name}-schema", AdminToolsImage, ServerTag)
            .WithImageRegistry(Registry)
            .WithEntrypoint("/bin/sh")
            .WithArgs($"{ScriptsDirectory}/setup-postgres.sh")
            .WithContainerFiles(ScriptsDirectory, "Temporal/scripts")
            .WithPostgresStore(postgres)
            .WithEnvironment("SQL_PASSWORD", postgres.Resource.PasswordParameter)
            .WaitFor(postgres)
            .WithParentRelationship(server)
            .PublishAsKubernetesJob();

        // The factory runs for every poll (each second until healthy): one instance keeps one connection open.
        var healthCheckKey = $"{name}_frontend_grpc_check";
        var healthCheck = new TemporalHealthCheck(() => TemporalHealthCheck.AddressOf(server.Frontend));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => healthCheck, failureStatus: null, tags: null));

        // A local run registers the namespace from the AppHost once the frontend is ready; an in-cluster copy has no
        // AppHost beside it, so a Job does it there.
        if (builder.ExecutionContext.IsPublishMode)
        {
            builder.AddContainer($"{name}-namespace", AdminToolsImage, ServerTag)
                .WithImageRegistry(Registry)
                .WithEntrypoint("/bin/sh")
                .WithArgs("-c", RegisterNamespaceScript)
                .WithEnvironment("TEMPORAL_ADDRESS", server.Frontend.Property(EndpointProperty.HostAndPort))
                .WithEnvironment("TEMPORAL_NAMESPACE", temporalNamespace)
                .WithParentRelationship(server)
                .PublishAsKubernetesJob();
        }

        return builder.AddResource(server)
            .WithImage(ServerImage, ServerTag)
            .WithImageRegistry(Registry)
            .WithEndpoint(targetPort: FrontendPort, name: TemporalServerResource.FrontendEndpointName, scheme: "tcp")
            .WithPostgresStore(postgres)
            .WithEnvironment("BIND_ON_IP", "0.0.0.0")
            .WithEnvironment("DYNAMIC_CONFIG_FILE_PATH", DynamicConfigFile)
            .WithContainerFiles(DynamicConfigDirectory, "Temporal/dynamicconfig")
            .WithHealthCheck(healthCheckKey)
            .WaitFor(postgres)
            .WaitForCompletion(schema)
            .OnResourceReady((resource, @event, ct) =>
                RegisterNamespaceAsync(resource, temporalNamespace, @event.Services, ct));
    }

    /// <summary>Adds the Temporal web UI for <paramref name="temporal"/>, linked from the dashboard.</summary>
    public static IResourceBuilder<TemporalUiResource> AddTemporalUi(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<IResourceWithConnectionString> temporal,
        string temporalNamespace) =>
        builder.AddResource(new TemporalUiResource(name))
            .WithImage(UiImage, UiTag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(targetPort: UiPort, name: TemporalUiResource.HttpEndpointName)
            .WithUrlForEndpoint(TemporalUiResource.HttpEndpointName, url => url.DisplayText = "Temporal UI")
            .WithEnvironment("TEMPORAL_ADDRESS", temporal)
            .WithEnvironment("TEMPORAL_DEFAULT_NAMESPACE", temporalNamespace)
            .WithEnvironment("TEMPORAL_CSRF_COOKIE_INSECURE", "true")
            .WithHttpHealthCheck("/healthz")
            .WaitFor(temporal);

    /// <summary>Points a Temporal server or admin-tools container at its PostgreSQL store.</summary>
    private static IResourceBuilder<T> WithPostgresStore<T>(
        this IResourceBuilder<T> builder, IResourceBuilder<PostgresServerResource> postgres)
        where T : ContainerResource
    {
        var endpoint = postgres.Resource.PrimaryEndpoint;
        return builder
            .WithEnvironment("DB", "postgres12")
            .WithEnvironment("POSTGRES_SEEDS", endpoint.Property(EndpointProperty.Host))
            .WithEnvironment("DB_PORT", endpoint.Property(EndpointProperty.Port))
            .WithEnvironment("POSTGRES_USER", postgres.Resource.UserNameReference)
            .WithEnvironment("POSTGRES_PWD", postgres.Resource.PasswordParameter);
    }

    /// <summary>Registers the namespace the services use; the server, unlike the dev server, creates none.</summary>
    private static async Task RegisterNamespaceAsync(
        TemporalServerResource server, string temporalNamespace, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        var address = TemporalHealthCheck.AddressOf(server.Frontend)
            ?? throw new InvalidOperationException("The Temporal frontend is ready but has no address.");
        await RegisterNamespaceAsync(address, temporalNamespace, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers <paramref name="temporalNamespace"/> at <paramref name="address"/>; an existing one is fine.</summary>
    internal static async Task<bool> RegisterNamespaceAsync(
        string address, string temporalNamespace, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address)).ConfigureAwait(false);
            await client.WorkflowService.RegisterNamespaceAsync(
                new RegisterNamespaceRequest
                {
                    Namespace = temporalNamespace,
                    WorkflowExecutionRetentionPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(3)),
                    Description = "Created by Harmony.AppHost for local runs.",
                },
                // Retried while the frontend reports itself unavailable: it can say SERVING a moment before it is.
                new RpcOptions { CancellationToken = cancellationToken, Retry = true }).ConfigureAwait(false);
            logger.LogInformation("Registered the Temporal namespace {Namespace}.", temporalNamespace);
            return true;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
        {
            logger.LogInformation("The Temporal namespace {Namespace} already exists.", temporalNamespace);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The services start anyway and report the missing namespace themselves; the reason stays in this log.
            logger.LogError(e, "Could not register the Temporal namespace {Namespace}: workflows will fail until it exists.", temporalNamespace);
            return false;
        }
    }
}
