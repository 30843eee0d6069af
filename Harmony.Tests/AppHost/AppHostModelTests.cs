using Aspire.Hosting.ApplicationModel;
using Harmony.AppHost.Keycloak;
using Harmony.AppHost.OpenBao;
using Harmony.AppHost.Temporal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Harmony.Tests.AppHost;

/// <summary>The AppHost's graph as built, without a container runtime: resources, endpoints, health, waits, environment.</summary>
public sealed class AppHostModelTests(AppHostModel app) : IClassFixture<AppHostModel>
{
    private static readonly string[] SecretParameters =
    [
        "postgres-password", "keycloak-admin-password", "keycloak-agent-secret", "keycloak-dev-user-password", "openbao-token",
        "mcp-envelope-secret",
    ];

    [Fact]
    public void Model_Built_HasEveryResource()
    {
        var names = app.Model.Resources.Select(r => r.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "postgres", "temporal-schema", "temporal", "temporal-ui", "keycloak", "openbao", "mcp", "worker" },
            names);
    }

    [Fact]
    public void Containers_Model_UsePinnedImages()
    {
        string Image(string name) => app.Resource(name).TryGetContainerImageName(out var image) ? image : "";

        Assert.Equal("docker.io/library/postgres:16", Image("postgres"));
        Assert.Equal("docker.io/temporalio/admin-tools:1.30.1", Image("temporal-schema"));
        Assert.Equal("docker.io/temporalio/server:1.30.1", Image("temporal"));
        Assert.Equal("docker.io/temporalio/ui:2.34.0", Image("temporal-ui"));
        Assert.Equal("quay.io/keycloak/keycloak:26.6", Image("keycloak"));
        Assert.Equal("quay.io/openbao/openbao:2.6.2", Image("openbao"));
    }

    [Fact]
    public void Postgres_Model_KeepsDataInVolumeWithSecretPassword()
    {
        var postgres = app.Resource<PostgresServerResource>("postgres");

        // Postgres 16 keeps its data here (18 moved it up a level): a volume elsewhere would persist nothing.
        var volume = Assert.Single(postgres.Annotations.OfType<ContainerMountAnnotation>(), m => m.Type == ContainerMountType.Volume);
        Assert.Equal("/var/lib/postgresql/data", volume.Target);
        Assert.Equal("postgres-password", postgres.PasswordParameter.Name);
        Assert.True(postgres.PasswordParameter.Secret);
    }

    [Fact]
    public void TemporalSchema_Model_RunsSetupScriptAfterPostgres()
    {
        var schema = app.Resource<ContainerResource>("temporal-schema");

        Assert.Equal("/bin/sh", schema.Entrypoint);
        Assert.Equal(WaitType.WaitUntilHealthy, AppHostModel.Waits(schema)["postgres"]);
        Assert.Contains(schema.Annotations.OfType<ContainerFileSystemCallbackAnnotation>(), f => f.DestinationPath == "/harmony");
        Assert.Contains(
            schema.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name == "temporal" && r.Type == "Parent");
    }

    [Fact]
    public async Task TemporalSchema_Environment_ReachesPostgresWithSecretPassword()
    {
        var environment = await app.EnvironmentAsync(app.Resource("temporal-schema"));

        Assert.Equal("postgres12", environment["DB"]);
        Assert.Equal("{postgres.bindings.tcp.host}", environment["POSTGRES_SEEDS"]);
        Assert.Equal("{postgres.bindings.tcp.port}", environment["DB_PORT"]);
        Assert.Equal("{postgres-password.value}", environment["SQL_PASSWORD"]);
        Assert.Equal("{postgres-password.value}", environment["POSTGRES_PWD"]);
    }

    [Fact]
    public async Task TemporalSchema_Script_SetsUpBothDatabasesIdempotently()
    {
        var path = Path.Combine(Projects.Harmony_AppHost.ProjectPath, "Temporal", "scripts", "setup-postgres.sh");

        var script = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);

        Assert.Contains("temporal:temporal", script, StringComparison.Ordinal);
        Assert.Contains("temporal_visibility:visibility", script, StringComparison.Ordinal);
        Assert.Contains("setup-schema -v 0.0", script, StringComparison.Ordinal);
        Assert.Contains("update-schema -d \"/etc/temporal/schema/postgresql/v12/$schema/versioned\"", script, StringComparison.Ordinal);
        Assert.Contains("set -eu", script, StringComparison.Ordinal);

        // /bin/sh in the container reads a CR as part of each command; .gitattributes keeps Windows checkouts LF.
        Assert.DoesNotContain('\r', script);
    }

    [Fact]
    public void Temporal_Model_WaitsForPostgresAndSchemaJob()
    {
        var waits = AppHostModel.Waits(app.Resource("temporal"));

        Assert.Equal(WaitType.WaitUntilHealthy, waits["postgres"]);
        Assert.Equal(WaitType.WaitForCompletion, waits["temporal-schema"]);
    }

    [Fact]
    public void Temporal_Model_ExposesGrpcFrontendCheckedByGrpcHealth()
    {
        var temporal = app.Resource<TemporalServerResource>("temporal");

        var frontend = Assert.Single(temporal.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(7233, frontend.TargetPort);
        Assert.Equal("grpc", frontend.Name);
        var health = Assert.Single(temporal.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("temporal_frontend_grpc_check", health.Key);
        Assert.Equal("{temporal.bindings.grpc.host}:{temporal.bindings.grpc.port}", temporal.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void Temporal_HealthCheck_OneInstanceForEveryPoll()
    {
        var options = app.App.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value;
        var registration = Assert.Single(options.Registrations, r => r.Name == "temporal_frontend_grpc_check");

        // A new instance per poll would open a new Temporal connection each time and never close the last one.
        Assert.Same(registration.Factory(app.App.Services), registration.Factory(app.App.Services));
    }

    [Fact]
    public async Task Temporal_Environment_UsesPostgresAndDynamicConfig()
    {
        var temporal = app.Resource("temporal");
        var environment = await app.EnvironmentAsync(temporal);

        Assert.Equal("postgres12", environment["DB"]);
        Assert.Equal("0.0.0.0", environment["BIND_ON_IP"]);
        Assert.Equal("config/dynamicconfig/development-sql.yaml", environment["DYNAMIC_CONFIG_FILE_PATH"]);
        Assert.Contains(
            temporal.Annotations.OfType<ContainerFileSystemCallbackAnnotation>(),
            f => f.DestinationPath == "/etc/temporal/config/dynamicconfig");
        Assert.True(File.Exists(Path.Combine(
            Projects.Harmony_AppHost.ProjectPath, "Temporal", "dynamicconfig", "development-sql.yaml")));
    }

    [Fact]
    public async Task TemporalUi_Model_PointsAtTemporalAndIsHealthChecked()
    {
        var ui = app.Resource<TemporalUiResource>("temporal-ui");
        var environment = await app.EnvironmentAsync(ui);

        Assert.Equal("{temporal.connectionString}", environment["TEMPORAL_ADDRESS"]);
        Assert.Equal("default", environment["TEMPORAL_DEFAULT_NAMESPACE"]);
        Assert.Equal(8080, Assert.Single(ui.Annotations.OfType<EndpointAnnotation>()).TargetPort);
        Assert.Single(ui.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal(WaitType.WaitUntilHealthy, AppHostModel.Waits(ui)["temporal"]);
        Assert.Contains(ui.Annotations.OfType<ResourceUrlsCallbackAnnotation>(), _ => true);
    }

    [Fact]
    public void Keycloak_Model_HasHttpAndManagementEndpoints()
    {
        var keycloak = app.Resource<KeycloakResource>("keycloak");
        var endpoints = keycloak.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);

        Assert.Equal(8080, endpoints["http"].TargetPort);
        Assert.Equal(9000, endpoints["management"].TargetPort);
        Assert.True(endpoints["management"].ExcludeReferenceEndpoint);
        Assert.False(endpoints["http"].ExcludeReferenceEndpoint);
        Assert.Single(keycloak.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("{keycloak.bindings.http.url}/realms/harmony", keycloak.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task Keycloak_Model_StartsDevModeAndImportsRealm()
    {
        var keycloak = app.Resource("keycloak");

        Assert.Equal(["start-dev", "--import-realm"], await app.ArgumentsAsync(keycloak));
        var import = Assert.Single(keycloak.Annotations.OfType<ContainerFileSystemCallbackAnnotation>());
        Assert.Equal("/opt/keycloak/data/import", import.DestinationPath);
        Assert.Equal(1000, import.DefaultOwner);
        Assert.Contains(
            keycloak.Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Type == ContainerMountType.Volume && m.Target == "/opt/keycloak/data");
    }

    [Fact]
    public async Task Keycloak_Environment_TakesSecretsFromSecretParameters()
    {
        var environment = await app.RawEnvironmentAsync(app.Resource("keycloak"));

        Assert.Equal("keycloak-admin", Assert.IsType<ParameterResource>(environment["KC_BOOTSTRAP_ADMIN_USERNAME"]).Name);
        AssertSecretParameter("keycloak-admin-password", environment["KC_BOOTSTRAP_ADMIN_PASSWORD"]);
        AssertSecretParameter("keycloak-agent-secret", environment["HARMONY_AGENT_CLIENT_SECRET"]);
        AssertSecretParameter("keycloak-dev-user-password", environment["HARMONY_DEV_USER_PASSWORD"]);
        Assert.Equal("true", environment["KC_HEALTH_ENABLED"]);
    }

    [Fact]
    public async Task Keycloak_RealmPlaceholders_AreEachSetOnTheContainer()
    {
        var environment = await app.EnvironmentAsync(app.Resource("keycloak"));

        Assert.All(HarmonyRealm.Placeholders(), placeholder => Assert.Contains(placeholder, environment.Keys));
    }

    [Fact]
    public async Task OpenBao_Model_DevServerWithSecretRootTokenAndHealthCheck()
    {
        var openBao = app.Resource<OpenBaoResource>("openbao");
        var environment = await app.RawEnvironmentAsync(openBao);

        AssertSecretParameter("openbao-token", environment["BAO_DEV_ROOT_TOKEN_ID"]);
        Assert.Equal("0.0.0.0:8200", environment["BAO_DEV_LISTEN_ADDRESS"]);
        Assert.Equal(8200, Assert.Single(openBao.Annotations.OfType<EndpointAnnotation>()).TargetPort);
        Assert.Single(openBao.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("{openbao.bindings.http.url}", openBao.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public void DemoSecrets_Catalog_CoverTheReferencedPathsWithValueKeys()
    {
        var secrets = DemoSecrets.For(app.Resource<PostgresServerResource>("postgres"));

        Assert.Equal(["demo/greeting", "github/release-bot", "postgres/demo"], secrets.Select(s => s.Path));
        Assert.All(secrets, s => Assert.Equal(["value"], s.Data.Keys));
        var postgresUri = secrets.Single(s => s.Path == "postgres/demo").Data["value"].ValueExpression;
        Assert.StartsWith("postgresql://", postgresUri, StringComparison.Ordinal);
        Assert.Contains("{postgres-password.value", postgresUri, StringComparison.Ordinal);
        Assert.EndsWith("/postgres", postgresUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_Environment_HasEveryKnobItNeeds()
    {
        var environment = await app.EnvironmentAsync(app.Resource("worker"));

        Assert.Equal("{temporal.connectionString}", environment["TEMPORAL_ADDRESS"]);
        Assert.Equal("default", environment["TEMPORAL_NAMESPACE"]);
        Assert.Equal("golden-tools", environment["TEMPORAL_TASK_QUEUE"]);
        Assert.Equal("{openbao.connectionString}", environment["BAO_ADDR"]);
        Assert.Equal("{openbao-token.value}", environment["BAO_TOKEN"]);
        Assert.Equal("secret", environment["BAO_KV_MOUNT"]);
        Assert.Equal("{enable-dagger-e2e.value}", environment["ENABLE_DAGGER_E2E"]);
        Assert.Equal("local", environment["WORKER_BUILD_ID"]);
    }

    [Fact]
    public async Task Mcp_Environment_HasEveryKnobItNeeds()
    {
        var environment = await app.EnvironmentAsync(app.Resource("mcp"));

        Assert.Equal("{temporal.connectionString}", environment["TEMPORAL_ADDRESS"]);
        Assert.Equal("default", environment["TEMPORAL_NAMESPACE"]);
        Assert.Equal("golden-tools", environment["TEMPORAL_TASK_QUEUE"]);
        Assert.Equal("{temporal-ui.connectionString}", environment["TEMPORAL_UI_URL"]);
        Assert.Equal("{keycloak.connectionString}", environment["Harmony__Auth__Authority"]);
        Assert.Equal("harmony-mcp", environment["Harmony__Auth__Audience"]);
        Assert.Equal("true", environment["Harmony__Auth__AllowHttpMetadata"]);
        Assert.Equal("{mcp-envelope-secret.value}", environment["MCP_ENVELOPE_HMAC_SECRET"]);
        Assert.Equal("harmony-mcp", environment["MCP_APP_ID"]);
        Assert.Equal("{mcp-environment.value}", environment["MCP_ENVIRONMENT"]);
        Assert.Equal("{mcp-capability-behavior.value}", environment["MCP_CAPABILITY_BEHAVIOR"]);
        Assert.Equal("{mcp-capability-await-timeout-ms.value}", environment["MCP_CAPABILITY_AWAIT_TIMEOUT_MS"]);
        Assert.Equal("true", environment["MCP_HTTP_STATELESS"]);

        // Published it runs as two replicas; a local run keeps one process on the fixed MCP port.
        Assert.Equal(1, app.Resource("mcp").GetReplicaCount());
    }

    [Theory]
    [InlineData("enable-dagger-e2e", "false")]
    [InlineData("mcp-environment", "local")]
    [InlineData("mcp-capability-behavior", "await")]
    [InlineData("mcp-capability-await-timeout-ms", "5000")]
    [InlineData("keycloak-admin", "admin")]
    public void Setting_NotConfigured_HasItsDefault(string name, string expected)
    {
        var parameter = app.Resource<ParameterResource>(name);

        Assert.False(parameter.Secret);
        Assert.Equal(expected, parameter.Default?.GetDefaultValue());
    }

    [Fact]
    public void Secrets_Model_AreSecretParametersWithGeneratedDefaults()
    {
        Assert.All(SecretParameters, name =>
        {
            var parameter = app.Resource<ParameterResource>(name);
            Assert.True(parameter.Secret, name);
            Assert.NotNull(parameter.Default);
        });
    }

    [Fact]
    public async Task Secrets_Environment_NeverLiteralInAnyResource()
    {
        foreach (var resource in app.Model.Resources.Where(r => r is ContainerResource or ProjectResource))
        {
            foreach (var (name, value) in await app.RawEnvironmentAsync(resource))
            {
                if (name.Contains("PASSWORD", StringComparison.Ordinal) || name.Contains("SECRET", StringComparison.Ordinal)
                    || name.Contains("TOKEN", StringComparison.Ordinal) || name == "POSTGRES_PWD")
                {
                    Assert.True(value is ParameterResource { Secret: true }, $"{resource.Name}: {name} is not a secret parameter");
                }
            }
        }
    }

    [Fact]
    public void Worker_Model_WaitsForTemporalAndOpenBao()
    {
        var waits = AppHostModel.Waits(app.Resource("worker"));

        Assert.Equal(WaitType.WaitUntilHealthy, waits["temporal"]);
        Assert.Equal(WaitType.WaitUntilHealthy, waits["openbao"]);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public void Mcp_Model_WaitsForTemporalAndKeycloak()
    {
        var waits = AppHostModel.Waits(app.Resource("mcp"));

        Assert.Equal(WaitType.WaitUntilHealthy, waits["temporal"]);
        Assert.Equal(WaitType.WaitUntilHealthy, waits["keycloak"]);
        Assert.Equal(2, waits.Count);
    }

    [Fact]
    public void Mcp_Model_ReferencesWhatItUses()
    {
        var references = app.Resource("mcp").Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference").Select(r => r.Resource.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "temporal", "temporal-ui", "keycloak" }, references);
    }

    [Fact]
    public void Mcp_Model_ExternalHttpEndpointOnFixedPort()
    {
        var endpoint = Assert.Single(app.Resource("mcp").Annotations.OfType<EndpointAnnotation>());

        Assert.True(endpoint.IsExternal);
        Assert.Equal("http", endpoint.UriScheme);
        Assert.Equal(5100, endpoint.Port);
    }

    [Theory]
    [InlineData("mcp")]
    [InlineData("worker")]
    public void Project_Model_HasHttpEndpointAndHealthCheck(string name)
    {
        var project = app.Resource<ProjectResource>(name);

        Assert.Single(project.Annotations.OfType<EndpointAnnotation>(), e => e.UriScheme == "http");
        Assert.Single(project.Annotations.OfType<HealthCheckAnnotation>());
    }

    private static void AssertSecretParameter(string expectedName, object value)
    {
        var parameter = Assert.IsType<ParameterResource>(value, exactMatch: false);
        Assert.Equal(expectedName, parameter.Name);
        Assert.True(parameter.Secret);
    }
}
