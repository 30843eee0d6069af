using Harmony.Core.Configuration;
using Harmony.Worker.Activities;
using Harmony.Worker.Hosting;
using Harmony.Worker.Secrets;
using Microsoft.Extensions.Configuration;

namespace Harmony.Tests.Worker;

public sealed class WorkerSettingsTests
{
    [Fact]
    public void From_NothingConfigured_UsesTheDesignDefaults()
    {
        var configuration = Configuration([]);

        var worker = WorkerSettings.From(configuration);
        var openBao = OpenBaoSettings.From(configuration);

        Assert.Equal(("localhost:7233", "default", "golden-tools"), (worker.Address, worker.Namespace, worker.TaskQueue));
        Assert.False(string.IsNullOrWhiteSpace(worker.BuildId));
        Assert.Equal((new Uri("http://localhost:8200"), (string?)null, "secret"), (openBao.Address, openBao.Token, openBao.Mount));
        Assert.False(CapabilityExecutionSettings.From(configuration).DaggerEnabled);
    }

    [Fact]
    public void From_EnvironmentStyleKeys_OverrideTheDefaults()
    {
        var configuration = Configuration(new()
        {
            ["TEMPORAL_ADDRESS"] = "temporal:7233",
            ["TEMPORAL_NAMESPACE"] = "harmony",
            ["TEMPORAL_TASK_QUEUE"] = "tools-b",
            ["WORKER_BUILD_ID"] = "2026.12.03-abc",
            ["BAO_ADDR"] = "http://openbao:8200",
            ["BAO_TOKEN"] = "t",
            ["BAO_KV_MOUNT"] = "kv/",
        });

        var worker = WorkerSettings.From(configuration);
        var openBao = OpenBaoSettings.From(configuration);

        Assert.Equal(("temporal:7233", "harmony", "tools-b", "2026.12.03-abc"), (worker.Address, worker.Namespace, worker.TaskQueue, worker.BuildId));
        Assert.Equal((new Uri("http://openbao:8200"), "t", "kv"), (openBao.Address, openBao.Token, openBao.Mount));
    }

    [Fact]
    public void From_ConcurrencyAndGraceUnset_TenCapabilityRunsAndTwentyFiveSeconds()
    {
        var worker = WorkerSettings.From(Configuration([]));

        Assert.Equal((10, TimeSpan.FromSeconds(25)), (worker.MaxConcurrentActivities, worker.ShutdownGrace));
    }

    [Fact]
    public void From_ConcurrencyAndGraceSet_Taken()
    {
        var worker = WorkerSettings.From(Configuration(new()
        {
            ["WORKER_MAX_CONCURRENT_ACTIVITIES"] = " 4 ",
            ["WORKER_SHUTDOWN_GRACE_SECONDS"] = "600",
        }));

        Assert.Equal((4, TimeSpan.FromSeconds(600)), (worker.MaxConcurrentActivities, worker.ShutdownGrace));
    }

    [Theory]
    [InlineData("WORKER_MAX_CONCURRENT_ACTIVITIES", "0")]
    [InlineData("WORKER_MAX_CONCURRENT_ACTIVITIES", "ten")]
    [InlineData("WORKER_SHUTDOWN_GRACE_SECONDS", "-5")]
    [InlineData("WORKER_SHUTDOWN_GRACE_SECONDS", "2.5")]
    public void From_NotAPositiveWholeNumber_RefusedNamingTheSetting(string key, string value)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => WorkerSettings.From(Configuration(new() { [key] = value })));

        Assert.Equal($"{key} '{value}' is not a whole number greater than 0.", error.Message);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData(" 1 ", true)]
    [InlineData("0", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    public void From_EnableDaggerE2E_AcceptsOneAndTrueOnly(string value, bool enabled) =>
        Assert.Equal(enabled, CapabilityExecutionSettings.From(Configuration(new() { ["ENABLE_DAGGER_E2E"] = value })).DaggerEnabled);

    [Theory]
    [InlineData("/github/release-bot#token", "github/release-bot", "token")]
    [InlineData("/github/release-bot", "github/release-bot", "value")]
    [InlineData("/app/db/", "app/db", "value")]
    public void Parse_StoreReference_SplitsPathAndKey(string reference, string path, string key) =>
        Assert.Equal(new SecretReference(path, key), SecretReference.Parse(reference));

    [Theory]
    [InlineData("/")]
    [InlineData("/github/bot#")]
    [InlineData("/github/../sys/raw")]
    public void Parse_MalformedReference_IsRejected(string reference) =>
        Assert.Throws<FormatException>(() => SecretReference.Parse(reference));

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
