using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Harmony.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Harmony.Tests.AppHost;

/// <summary>The AppHost's application model, built as <c>dotnet run</c> would build it, but never started.</summary>
public class AppHostModel : IAsyncLifetime
{
    private DistributedApplication? _app;

    public DistributedApplicationModel Model { get; private set; } = null!;

    public DistributedApplicationExecutionContext ExecutionContext { get; private set; } = null!;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Not built yet.");

    /// <summary>The AppHost's command line.</summary>
    protected virtual string[] Args => [];

    public async ValueTask InitializeAsync()
    {
        (_app, Model, ExecutionContext) = await BuildAsync(Args, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Builds the AppHost with <paramref name="args"/> as its command line (e.g. <c>--ConnectionStrings:temporal=…</c>).
    /// The testing builder lets the AppHost's own start hooks run after the build, so the one that reacts to a missing
    /// container runtime is turned off here: these tests read the model as written, whatever this machine has.
    /// </summary>
    public static async Task<(DistributedApplication App, DistributedApplicationModel Model, DistributedApplicationExecutionContext Context)>
        BuildAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Harmony_AppHost>(
            [.. args, $"--{ContainerRuntimeExtensions.SettingKey}=false"], cancellationToken);
        var app = await builder.BuildAsync(cancellationToken);
        return (
            app,
            app.Services.GetRequiredService<DistributedApplicationModel>(),
            app.Services.GetRequiredService<DistributedApplicationExecutionContext>());
    }

    public IResource Resource(string name) => Model.Resources.Single(r => r.Name == name);

    public T Resource<T>(string name)
        where T : IResource => Assert.IsType<T>(Resource(name), exactMatch: false);

    /// <summary>The environment of <paramref name="resource"/>, values as the manifest writes them (<c>{temporal.connectionString}</c>).</summary>
    public Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(IResource resource) => EnvironmentAsync(resource, ExecutionContext);

    /// <summary>The environment of <paramref name="resource"/> as the callbacks put it: strings, parameters, references.</summary>
    public Task<IReadOnlyDictionary<string, object>> RawEnvironmentAsync(IResource resource) =>
        RawEnvironmentAsync(resource, ExecutionContext);

    /// <inheritdoc cref="EnvironmentAsync(IResource)"/>
    public static async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext) =>
        (await RawEnvironmentAsync(resource, executionContext)).ToDictionary(e => e.Key, e => Expression(e.Value));

    /// <inheritdoc cref="RawEnvironmentAsync(IResource)"/>
    public static async Task<IReadOnlyDictionary<string, object>> RawEnvironmentAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext)
    {
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(executionContext, resource, environment, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return environment;
    }

    /// <summary>The command-line arguments of <paramref name="resource"/>, as the manifest writes them.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsAsync(IResource resource)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource, TestContext.Current.CancellationToken)
        {
            ExecutionContext = ExecutionContext,
        };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. args.Select(Expression)];
    }

    /// <summary>The names of the resources <paramref name="resource"/> waits for, with how it waits.</summary>
    public static IReadOnlyDictionary<string, WaitType> Waits(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().ToDictionary(w => w.Resource.Name, w => w.WaitType);

    private static string Expression(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider provider => provider.ValueExpression,
        _ => value.ToString() ?? string.Empty,
    };
}
