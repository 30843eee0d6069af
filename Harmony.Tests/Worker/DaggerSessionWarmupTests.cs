using Harmony.Worker.Activities;
using Harmony.Worker.Dagger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Harmony.Tests.Worker;

public sealed class DaggerSessionWarmupTests
{
    private const int SessionPort = 4242;

    [Fact]
    public async Task ExecuteAsync_DaggerEnabledWithoutGivenSession_StartsTheSessionOnceBeforeAnyCapabilityRun()
    {
        using var cli = await FakeDaggerCli.CreateAsync(SessionPort, FakeDaggerEngine.SessionToken);
        var settings = new DaggerSettings(null, null, cli.Path, TimeSpan.FromSeconds(30));
        await using var sessions = new DaggerSessionProvider(settings, NullLogger<DaggerSessionProvider>.Instance);
        using var warmup = Warmup(enabled: true, sessions, NullLogger<DaggerSessionWarmup>.Instance);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var launchedAtStartup = cli.Launches.Count;
        var session = await sessions.GetAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, launchedAtStartup);
        Assert.Single(cli.Launches);
        Assert.Equal(SessionPort, session.QueryEndpoint.Port);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, SessionPort)]
    public async Task ExecuteAsync_DaggerDisabledOrSessionGiven_StartsNoCli(bool enabled, int? givenPort)
    {
        using var cli = await FakeDaggerCli.CreateAsync(SessionPort, FakeDaggerEngine.SessionToken);
        var token = givenPort is null ? null : FakeDaggerEngine.SessionToken;
        var settings = new DaggerSettings(givenPort, token, cli.Path, TimeSpan.FromSeconds(30));
        await using var sessions = new DaggerSessionProvider(settings, NullLogger<DaggerSessionProvider>.Instance);
        using var warmup = Warmup(enabled, sessions, NullLogger<DaggerSessionWarmup>.Instance);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Empty(cli.Launches);
    }

    [Fact]
    public async Task ExecuteAsync_CliFails_LogsAWarningAndEndsWithoutFailingTheHost()
    {
        using var cli = await FakeDaggerCli.CreateBrokenAsync();
        var settings = new DaggerSettings(null, null, cli.Path, TimeSpan.FromSeconds(30));
        await using var sessions = new DaggerSessionProvider(settings, NullLogger<DaggerSessionProvider>.Instance);
        var logger = new FakeLogger<DaggerSessionWarmup>();
        using var warmup = Warmup(enabled: true, sessions, logger);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // A background service that throws would stop the host; this one must only say what went wrong.
        Assert.True(warmup.ExecuteTask.IsCompletedSuccessfully);
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("printed no session line", warning.Message, StringComparison.Ordinal);
    }

    private static DaggerSessionWarmup Warmup(
        bool enabled, DaggerSessionProvider sessions, ILogger<DaggerSessionWarmup> logger) =>
        new(new CapabilityExecutionSettings(enabled, TimeSpan.FromSeconds(5)), sessions, logger);
}
