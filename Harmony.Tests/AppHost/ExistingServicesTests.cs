using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harmony.Tests.AppHost;

/// <summary>Each infrastructure resource replaced by an existing service through configuration alone.</summary>
public sealed class ExistingServicesTests
{
    private static readonly string[] Existing =
    [
        "--ConnectionStrings:temporal=temporal.example.internal:7233",
        "--ConnectionStrings:temporal-ui=https://temporal.example.internal",
        "--ConnectionStrings:keycloak=https://sso.example.internal/realms/harmony",
        "--ConnectionStrings:openbao=https://bao.example.internal:8200",
    ];

    [Fact]
    public async Task Infrastructure_ConnectionStringsConfigured_ConfigurationReplacesContainers()
    {
        var (app, model, _) = await AppHostModel.BuildAsync(Existing, TestContext.Current.CancellationToken);
        await using var _ = app;
        var configuration = app.Services.GetRequiredService<IConfiguration>();

        Assert.All(["temporal", "temporal-ui", "keycloak", "openbao"], name =>
        {
            var resource = model.Resources.Single(r => r.Name == name);
            Assert.IsNotType<ContainerResource>(resource, exactMatch: false);
            var parameter = Assert.IsType<ParameterResource>(resource, exactMatch: false);
            Assert.True(parameter.IsConnectionString);
            Assert.Equal($"{{{name}.connectionString}}", ((IManifestExpressionProvider)parameter).ValueExpression);
            Assert.False(string.IsNullOrEmpty(configuration.GetConnectionString(name)));
        });
        Assert.DoesNotContain(model.Resources, r => r.Name == "temporal-schema");
    }

    [Fact]
    public async Task Services_ExistingServices_TakeTheirAddressesFromTheConnectionStrings()
    {
        var (app, model, _) = await AppHostModel.BuildAsync(Existing, TestContext.Current.CancellationToken);
        await using var _ = app;
        var mcp = await EnvironmentAsync(model, app, "mcp");
        var worker = await EnvironmentAsync(model, app, "worker");

        Assert.Equal("{temporal.connectionString}", mcp["TEMPORAL_ADDRESS"]);
        Assert.Equal("{temporal-ui.connectionString}", mcp["TEMPORAL_UI_URL"]);
        Assert.Equal("{keycloak.connectionString}", mcp["Harmony__Auth__Authority"]);
        Assert.Equal("{openbao.connectionString}", worker["BAO_ADDR"]);
        Assert.Equal("{temporal.connectionString}", worker["TEMPORAL_ADDRESS"]);

        // An existing Keycloak is reached over HTTPS: only the local container may serve metadata over plain HTTP.
        Assert.DoesNotContain("Harmony__Auth__AllowHttpMetadata", mcp.Keys);
    }

    [Fact]
    public async Task Services_ExistingServices_StillWaitForThem()
    {
        var (app, model, _) = await AppHostModel.BuildAsync(Existing, TestContext.Current.CancellationToken);
        await using var _ = app;

        Assert.Equal(["temporal", "keycloak"], AppHostModel.Waits(model.Resources.Single(r => r.Name == "mcp")).Keys);
        Assert.Equal(["temporal", "openbao"], AppHostModel.Waits(model.Resources.Single(r => r.Name == "worker")).Keys);
    }

    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(
        DistributedApplicationModel model, Aspire.Hosting.DistributedApplication app, string name) =>
        await AppHostModel.EnvironmentAsync(
            model.Resources.Single(r => r.Name == name),
            app.Services.GetRequiredService<Aspire.Hosting.DistributedApplicationExecutionContext>());
}
