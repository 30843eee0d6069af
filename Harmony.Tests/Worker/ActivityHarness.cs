using System.Text.Json;
using Harmony.Core.Catalog;
using Harmony.Core.Contexts;
using Harmony.Core.Workflows;
using Harmony.Worker.Activities;
using Harmony.Worker.Dagger;
using Harmony.Worker.Secrets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Temporalio.Activities;
using Temporalio.Testing;

namespace Harmony.Tests.Worker;

/// <summary>
/// The capability activity wired to a fake Dagger engine and a fake OpenBao over real HTTP, run through Temporal's
/// <see cref="ActivityEnvironment"/> with a logger that keeps every line.
/// </summary>
internal sealed class ActivityHarness : IAsyncDisposable
{
    public static readonly GoldenContext Context = new("shop-app", "test", "alice@example.com", "4bf92f3577b34da6a3ce929d0e0e4736");

    private readonly HttpClient _http = new();
    private int _heartbeats;

    private ActivityHarness(FakeDaggerEngine engine, FakeOpenBao openBao, bool daggerEnabled)
    {
        Engine = engine;
        OpenBao = openBao;
        var sessions = new DaggerSessionProvider(
            new DaggerSettings(engine.Server.Port, FakeDaggerEngine.SessionToken, "dagger", TimeSpan.FromSeconds(5)),
            NullLogger<DaggerSessionProvider>.Instance);
        Activity = new ExecuteDaggerCapabilityActivity(
            BuiltInCatalog.Default,
            new CapabilityExecutionSettings(daggerEnabled, TimeSpan.FromMilliseconds(20)),
            new SecretResolver(new OpenBaoClient(_http, new OpenBaoSettings(openBao.Server.BaseAddress, FakeOpenBao.Token, "secret"))),
            new DaggerClient(_http, sessions));
        Environment = new ActivityEnvironment
        {
            Info = ActivityEnvironment.DefaultInfo with
            {
                ActivityType = WorkflowNames.ExecuteDaggerCapabilityActivity,
                WorkflowId = "golden.echo-6f1c",
                WorkflowRunId = "run-1",
                ActivityId = "1",
            },
            Logger = Logger,
            Heartbeater = _ =>
            {
                if (Interlocked.Increment(ref _heartbeats) == 3)
                {
                    ThreeHeartbeats.TrySetResult();
                }
            },
        };
    }

    public FakeDaggerEngine Engine { get; }

    public FakeOpenBao OpenBao { get; }

    public ExecuteDaggerCapabilityActivity Activity { get; }

    public ActivityEnvironment Environment { get; }

    public FakeLogger Logger { get; } = new();

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    public TaskCompletionSource ThreeHeartbeats { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ActivityHarness> StartAsync(bool daggerEnabled = true)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        return new ActivityHarness(
            await FakeDaggerEngine.StartAsync(cancellationToken), await FakeOpenBao.StartAsync(cancellationToken), daggerEnabled);
    }

    public static ExecuteDaggerCapabilityInput Call(
        string capabilityId, string inputJson, IReadOnlyDictionary<string, string>? secretRefs = null, GoldenContext? context = null) =>
        new(capabilityId, JsonDocument.Parse(inputJson).RootElement.Clone(), null, secretRefs, Context.InitiatorId, Context.TraceId,
            context ?? Context);

    public Task<JsonElement> RunAsync(ExecuteDaggerCapabilityInput input) => Environment.RunAsync(() => Activity.ExecuteAsync(input));

    /// <summary>Runs the activity as another activity, attempt or workflow run than <see cref="Environment"/> says.</summary>
    public Task<JsonElement> RunAsAsync(ExecuteDaggerCapabilityInput input, Func<ActivityInfo, ActivityInfo> info)
    {
        var environment = new ActivityEnvironment { Info = info(Environment.Info), Logger = Logger, Heartbeater = Environment.Heartbeater };
        return environment.RunAsync(() => Activity.ExecuteAsync(input));
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await OpenBao.DisposeAsync();
        _http.Dispose();
    }
}
