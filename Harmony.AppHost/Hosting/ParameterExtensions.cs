using Aspire.Hosting.Publishing;
using Harmony.AppHost.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace Harmony.AppHost.Hosting;

/// <summary>Parameters that work out of the box locally and can be overridden through configuration.</summary>
internal static class ParameterExtensions
{
    /// <summary>
    /// Adds a secret parameter whose value is <c>Parameters:{name}</c> when configured, otherwise generated once and
    /// kept in the AppHost's user secrets, so a data volume and its password stay in step across runs.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(
        this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(
            name,
            new GenerateParameterDefault { MinLength = 24, Special = false },
            secret: true,
            persist: true);

    /// <summary>Adds a plain parameter: <c>Parameters:{name}</c> when configured, else <paramref name="defaultValue"/>.</summary>
    public static IResourceBuilder<ParameterResource> AddSetting(
        this IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddParameter(name, new SettingDefault(defaultValue));

    /// <summary>
    /// Returns the existing service named by <c>ConnectionStrings:{name}</c> when configuration has one, else
    /// <see langword="null"/>, so that the caller adds its own container. Publishing for managed infrastructure, it is
    /// always the existing service, at its usual in-cluster address unless configuration names another: a missing
    /// address would otherwise stop publishing at a prompt.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddExisting(
        this IDistributedApplicationBuilder builder, string name)
    {
        var configured = builder.Configuration.GetConnectionString(name);
        if (builder.PublishesForManagedInfrastructure())
        {
            var address = string.IsNullOrWhiteSpace(configured) ? ManagedServices.DefaultAddress(name) : configured;
            return builder.AddConnectionString(name, ReferenceExpression.Create($"{address}"));
        }

        return string.IsNullOrWhiteSpace(configured) ? null : builder.AddConnectionString(name);
    }

    /// <summary>A default used at run time and written to the manifest as the parameter's value.</summary>
    private sealed class SettingDefault(string value) : ParameterDefault
    {
        public override string GetDefaultValue() => value;

        public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", value);
    }
}
