using Aspire.Hosting.ApplicationModel;
using Harmony.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Harmony.Tests.AppHost;

/// <summary>What the AppHost does when no container runtime answers, checked on a model and with a runtime that is not there.</summary>
public sealed class ContainerRuntimeTests
{
    [Fact]
    public async Task FindProblemAsync_RuntimeNotInstalled_SaysSo()
    {
        var problem = await ContainerRuntimeProbe.FindProblemAsync(
            "harmony-no-such-container-runtime", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("'harmony-no-such-container-runtime' is not installed or not on PATH", problem);
    }

    [Fact]
    public async Task FindProblemAsync_CommandFails_ReportsExitCode()
    {
        // 'false info' exits with 1 and prints nothing, like a runtime CLI whose daemon is down.
        var problem = await ContainerRuntimeProbe.FindProblemAsync("false", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("'false info' exited with 1: no message", problem);
    }

    [Fact]
    public async Task FindProblemAsync_CommandSucceeds_NoProblem()
    {
        var problem = await ContainerRuntimeProbe.FindProblemAsync("true", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Null(problem);
    }

    [Theory]
    [InlineData(null, null, "docker")]
    [InlineData("podman", null, "podman")]
    [InlineData(null, "podman", "podman")]
    public void RuntimeName_Configuration_FollowsAspire(string? current, string? legacy, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ASPIRE_CONTAINER_RUNTIME"] = current,
                ["DOTNET_ASPIRE_CONTAINER_RUNTIME"] = legacy,
            })
            .Build();

        Assert.Equal(expected, ContainerRuntimeProbe.RuntimeName(configuration));
    }

    [Fact]
    public async Task PrepareRunWithoutContainers_Model_ProjectsWaitOnNoContainerAndVolumesAreGone()
    {
        var (app, model, _) = await AppHostModel.BuildAsync([], TestContext.Current.CancellationToken);
        await using var _ = app;

        var released = ContainerRuntimeExtensions.PrepareRunWithoutContainers(model);

        Assert.Equal(["worker", "mcp"], released);
        Assert.All(model.Resources.OfType<ProjectResource>(), project => Assert.Empty(AppHostModel.Waits(project)));
        Assert.DoesNotContain(
            model.Resources.SelectMany(r => r.Annotations.OfType<ContainerMountAnnotation>()),
            m => m.Type == ContainerMountType.Volume);
        Assert.Equal(WaitType.WaitForCompletion, AppHostModel.Waits(model.Resources.Single(r => r.Name == "temporal"))["temporal-schema"]);
    }
}
