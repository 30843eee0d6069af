using Harmony.AppHost.Hosting;
using Harmony.AppHost.Keycloak;
using Harmony.AppHost.Kubernetes;
using Harmony.AppHost.OpenBao;
using Harmony.AppHost.Temporal;
using Harmony.Core.Workflows;

var builder = DistributedApplication.CreateBuilder(args);

builder.StartWhatCanStartWithoutContainerRuntime();

builder.AddKubernetesManifests();

// Infrastructure. Temporal, its UI, Keycloak and OpenBao each run here as a container unless configuration names an
// existing one (ConnectionStrings:<name>); see docs/local-run.md. Published, they are the platform's managed services,
// unless Harmony:Kubernetes:InClusterInfrastructure asks for in-cluster dev copies; see docs/kubernetes.md.
// Postgres is the local Temporal's store and the demo database OpenBao's demo secret points at, so it runs only when
// one of those two runs here: naming an existing Temporal and an existing OpenBao leaves it out.
// TODO: a team with its own Postgres but no Temporal still runs this container; a ConnectionStrings:postgres parsed
// into Temporal's settings would end that.
IResourceBuilder<PostgresServerResource>? postgres = null;
IResourceBuilder<PostgresServerResource> Postgres() =>
    postgres ??= builder.AddPostgres("postgres", password: builder.AddGeneratedSecret("postgres-password"))
        // The version Temporal's own compose samples run; set before WithDataVolume, which picks the path by version.
        .WithImageTag("16")
        .WithDataVolume()
        .PublishOnlyAsInClusterCopy();

var temporal = builder.AddExisting("temporal")
    ?? builder.AddTemporalServer("temporal", Postgres(), TemporalDefaults.Namespace);

var temporalUi = builder.AddExisting("temporal-ui")
    ?? builder.AddTemporalUi("temporal-ui", temporal, TemporalDefaults.Namespace);

var keycloak = builder.AddExisting("keycloak")
    ?? builder.AddKeycloak(
            "keycloak",
            HarmonySettings.Realm,
            adminUsername: builder.AddSetting("keycloak-admin", "admin"),
            adminPassword: builder.AddGeneratedSecret("keycloak-admin-password"))
        .WithDataVolume()
        .WithRealmImport("Keycloak/realms")
        .WithEnvironment("HARMONY_AGENT_CLIENT_SECRET", builder.AddGeneratedSecret("keycloak-agent-secret"))
        .WithEnvironment("HARMONY_DEV_USER_PASSWORD", builder.AddGeneratedSecret("keycloak-dev-user-password"));

var openBaoToken = builder.AddGeneratedSecret("openbao-token");
var openBao = builder.AddExisting("openbao")
    ?? builder.AddOpenBao("openbao", openBaoToken)
        .WithSeededSecrets(HarmonySettings.KvMount, DemoSecrets.For(Postgres().Resource));

// Services
var worker = builder.AddProject<Projects.Harmony_Worker>("worker", launchProfileName: null)
    .WithHttpEndpoint()
    .WithHttpHealthCheck("/health")
    .WithReference(temporal).WaitFor(temporal)
    .WithReference(openBao).WaitFor(openBao)
    .WithTemporalSettings(temporal)
    .WithOpenBaoSettings(openBao, openBaoToken)
    .WithEnvironment("ENABLE_DAGGER_E2E", builder.AddSetting("enable-dagger-e2e", "false"))
    .WithEnvironment("WORKER_BUILD_ID", builder.WorkerBuildId())
    .PublishWithGracefulDrain()
    .PublishWithTaskQueueAutoscaling(TemporalDefaults.Namespace, TemporalDefaults.TaskQueue);

builder.AddProject<Projects.Harmony_Mcp>("mcp", launchProfileName: null)
    .WithHttpEndpoint(port: HarmonySettings.McpPort)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(temporal).WaitFor(temporal)
    .WithReference(keycloak).WaitFor(keycloak)
    .WithReference(temporalUi)
    .WithRelationship(worker.Resource, "Workflows run by")
    .WithTemporalSettings(temporal)
    .WithEnvironment("TEMPORAL_UI_URL", temporalUi)
    .WithOidcSettings(keycloak, HarmonySettings.McpAudience)
    .WithEnvironment("MCP_ENVELOPE_HMAC_SECRET", builder.AddGeneratedSecret("mcp-envelope-secret"))
    .WithEnvironment("MCP_APP_ID", HarmonySettings.McpAppId)
    .WithEnvironment("MCP_ENVIRONMENT", builder.AddSetting("mcp-environment", builder.ExecutionContext.IsPublishMode ? "production" : "local"))
    .WithEnvironment("MCP_CAPABILITY_BEHAVIOR", builder.AddSetting("mcp-capability-behavior", "await"))
    .WithEnvironment("MCP_CAPABILITY_AWAIT_TIMEOUT_MS", builder.AddSetting("mcp-capability-await-timeout-ms", "5000"))
    .PublishAsStatelessReplicas(replicas: 2);

builder.Build().Run();
