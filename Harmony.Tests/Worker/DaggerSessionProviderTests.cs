using Harmony.Worker.Dagger;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harmony.Tests.Worker;

public sealed class DaggerSessionProviderTests
{
    [Fact]
    public async Task GetAsync_NoConfiguredSession_StartsCliSessionAndEndsItByClosingStdin()
    {
        await using var engine = await FakeDaggerEngine.StartAsync(TestContext.Current.CancellationToken);
        engine.Stdout = """{"y":1}""";
        using var cli = await FakeDaggerCli.CreateAsync(engine.Server.Port, FakeDaggerEngine.SessionToken);
        var sessions = new DaggerSessionProvider(
            new DaggerSettings(null, null, cli.Path, TimeSpan.FromSeconds(30)), NullLogger<DaggerSessionProvider>.Instance);
        using var http = new HttpClient();
        var client = new DaggerClient(http, sessions);

        var first = await sessions.GetAsync(TestContext.Current.CancellationToken);
        var second = await sessions.GetAsync(TestContext.Current.CancellationToken);
        var stdout = await client.RunAsync(
            new Harmony.Core.Catalog.ContainerSpec { Image = "alpine", Args = ["true"] },
            new Dictionary<string, string>(),
            "wf/run/1/1",
            TestContext.Current.CancellationToken);

        Assert.Same(first, second);
        Assert.Equal(new Uri($"http://127.0.0.1:{engine.Server.Port}/query"), first.QueryEndpoint);
        Assert.Equal("""{"y":1}""", stdout);
        Assert.Single(engine.RunCalls);
        Assert.Equal("session --label dagger.io/sdk.name:harmony-dotnet", Assert.Single(cli.Launches));
        Assert.False(cli.Ended);

        await sessions.DisposeAsync();

        Assert.True(cli.Ended);
    }

    [Fact]
    public async Task GetAsync_CliPrintsNoSession_FailsAsDaggerUnavailable()
    {
        using var cli = await FakeDaggerCli.CreateBrokenAsync();
        await using var sessions = new DaggerSessionProvider(
            new DaggerSettings(null, null, cli.Path, TimeSpan.FromSeconds(30)), NullLogger<DaggerSessionProvider>.Instance);

        var failure = await Assert.ThrowsAsync<DaggerUnavailableException>(() => sessions.GetAsync(TestContext.Current.CancellationToken));

        Assert.Contains("printed no session line", failure.Message, StringComparison.Ordinal);
    }
}
