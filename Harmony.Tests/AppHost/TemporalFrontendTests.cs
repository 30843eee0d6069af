using System.Net;
using System.Net.Sockets;
using Harmony.AppHost.Temporal;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Api.WorkflowService.V1;

namespace Harmony.Tests.AppHost;

/// <summary>The AppHost's two calls to Temporal's frontend, the health check and the namespace registration, against a stand-in.</summary>
public sealed class TemporalFrontendTests
{
    [Fact]
    public async Task HealthCheck_FrontendServing_Healthy()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        var check = new TemporalHealthCheck(() => frontend.Address);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains(frontend.Calls, c => c.Path == "/grpc.health.v1.Health/Check");
    }

    [Fact]
    public async Task HealthCheck_FrontendNotServing_Unhealthy()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        frontend.HealthStatus = 2;
        var check = new TemporalHealthCheck(() => frontend.Address);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("not serving", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_NothingListening_Unhealthy()
    {
        var check = new TemporalHealthCheck(() => $"127.0.0.1:{FreePort()}");

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("does not answer", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthCheck_NoAddressYet_Unhealthy()
    {
        var check = new TemporalHealthCheck(() => null);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task RegisterNamespace_NewNamespace_SendsNameAndRetention()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);

        var registered = await TemporalResourceBuilderExtensions.RegisterNamespaceAsync(
            frontend.Address, "default", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.True(registered);
        var request = frontend.Request("RegisterNamespace", RegisterNamespaceRequest.Parser);
        Assert.Equal("default", request.Namespace);
        Assert.Equal(TimeSpan.FromDays(3), request.WorkflowExecutionRetentionPeriod.ToTimeSpan());
    }

    [Fact]
    public async Task RegisterNamespace_AlreadyExists_Succeeds()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        frontend.FailWith = 6;

        var registered = await TemporalResourceBuilderExtensions.RegisterNamespaceAsync(
            frontend.Address, "default", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.True(registered);
    }

    [Fact]
    public async Task RegisterNamespace_FrontendBrieflyUnavailable_RetriesAndRegisters()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        frontend.FailWith = 14;
        frontend.FailuresLeft = 1;

        var registered = await TemporalResourceBuilderExtensions.RegisterNamespaceAsync(
            frontend.Address, "default", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.True(registered);
        Assert.Equal(2, frontend.Calls.Count(c => c.Path.EndsWith("/RegisterNamespace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RegisterNamespace_OtherFailure_ReportsFalse()
    {
        await using var frontend = await FakeTemporalFrontend.StartAsync(TestContext.Current.CancellationToken);
        frontend.FailWith = 7;

        var registered = await TemporalResourceBuilderExtensions.RegisterNamespaceAsync(
            frontend.Address, "default", NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.False(registered);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
