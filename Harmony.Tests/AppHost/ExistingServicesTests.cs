using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harmony.Tests.AppHost;

/// <summary>The AppHost's model when configuration names an existing Temporal, Temporal UI, Keycloak and OpenBao.</summary>
public sealed class ExistingServicesModel : AppHostModel
{
    protected override string[] Args =>
    [
        "--ConnectionStrings:temporal=temporal.example.internal:7233",
        "--ConnectionStrings:temporal-ui=https://temporal.example.internal",
        "--ConnectionStrings:keycloak=https://sso.example.internal/realms/harmony",
        "--ConnectionStrings:openbao=https://bao.example.internal:8200",
    ];
}

/// <summary>Each infrastructure resource replaced by an existing service through configuration alone.</summary>
public sealed class ExistingServicesTests(ExistingServicesModel app) : IClassFixture<ExistingServicesModel>
{
    [Fact]
    public void Infrastructure_ConnectionStringsConfigured_ConfigurationReplacesContainers()
    {
        var configuration = app.App.Services.GetRequiredService<IConfiguration>();

        Assert.All(["temporal", "temporal-ui", "keycloak", "openbao"], name =>
        {
            var resource = app.Resource(name);
            Assert.IsNotType<ContainerResource>(resource, exactMatch: false);
            var parameter = Assert.IsType<ParameterResource>(resource, exactMatch: false);
            Assert.True(parameter.IsConnectionString);
            Assert.Equal($"{{{name}.connectionString}}", ((IManifestExpressionProvider)parameter).ValueExpression);
            Assert.False(string.IsNullOrEmpty(configuration.GetConnectionString(name)));
        });
        Assert.DoesNotContain(app.Model.Resources, r => r.Name == "temporal-schema");
    }

    [Fact]
    public void Postgres_TemporalAndOpenBaoExisting_NotStarted()
    {
        // Postgres serves only the local Temporal and OpenBao's demo secret: with both existing, nothing would use it.
        Assert.DoesNotContain(app.Model.Resources, r => r.Name is "postgres" or "postgres-password");
        Assert.DoesNotContain(app.Model.Resources, r => r is ContainerResource);
    }

    [Fact]
    public async Task Services_ExistingServices_TakeTheirAddressesFromTheConnectionStrings()
    {
        var mcp = await app.EnvironmentAsync(app.Resource("mcp"));
        var worker = await app.EnvironmentAsync(app.Resource("worker"));

        Assert.Equal("{temporal.connectionString}", mcp["TEMPORAL_ADDRESS"]);
        Assert.Equal("{temporal-ui.connectionString}", mcp["TEMPORAL_UI_URL"]);
        Assert.Equal("{keycloak.connectionString}", mcp["Harmony__Auth__Authority"]);
        Assert.Equal("{openbao.connectionString}", worker["BAO_ADDR"]);
        Assert.Equal("{openbao-token.value}", worker["BAO_TOKEN"]);
        Assert.Equal("{temporal.connectionString}", worker["TEMPORAL_ADDRESS"]);

        // An existing Keycloak is reached over HTTPS: only the local container may serve metadata over plain HTTP.
        Assert.DoesNotContain("Harmony__Auth__AllowHttpMetadata", mcp.Keys);
    }

    [Fact]
    public void Services_ExistingServices_StillWaitForThem()
    {
        Assert.Equal(["temporal", "keycloak"], AppHostModel.Waits(app.Resource("mcp")).Keys);
        Assert.Equal(["temporal", "openbao"], AppHostModel.Waits(app.Resource("worker")).Keys);
    }
}
