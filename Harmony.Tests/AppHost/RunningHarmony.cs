using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Harmony.AppHost.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Harmony.Tests.AppHost;

/// <summary>
/// The whole AppHost, started once for the end-to-end tests and healthy, where a container runtime answers. Where
/// none does, nothing starts and <see cref="SkipReason"/> says why, so each test skips with that one line.
/// </summary>
public sealed class RunningHarmony : IAsyncLifetime
{
    /// <summary>Every resource that must be healthy before a test runs.</summary>
    public static readonly string[] HealthyResources = ["postgres", "temporal", "temporal-ui", "keycloak", "openbao", "worker", "mcp"];

    // The first run pulls Postgres, Temporal, Keycloak and OpenBao images: give it time.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private DistributedApplication? _app;

    public string? SkipReason { get; private set; }

    public DistributedApplication App => _app ?? throw new InvalidOperationException(SkipReason ?? "Not started.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var runtime = ContainerRuntimeProbe.RuntimeName(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        if (await ContainerRuntimeProbe.FindProblemAsync(runtime, TimeSpan.FromSeconds(10), cancellationToken) is { } problem)
        {
            SkipReason = $"End-to-end test skipped: no container runtime answers ({problem}).";
            return;
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Harmony_AppHost>(cancellationToken);

        // Fresh state for every run: a Postgres or Keycloak volume left by `dotnet run` would keep a password or realm
        // secret that this run's parameters may not match (Keycloak skips importing a realm that exists).
        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            var volumes = container.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume);
            foreach (var volume in volumes.ToList())
            {
                container.Annotations.Remove(volume);
            }
        }

        _app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await _app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        await Task.WhenAll(HealthyResources.Select(name =>
            _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(StartTimeout, cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The value of the parameter <paramref name="name"/> in the running app.</summary>
    public async Task<string> ParameterAsync(string name)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == name);
        return await parameter.GetValueAsync(TestContext.Current.CancellationToken) ?? "";
    }
}
