using System.Globalization;

namespace Harmony.AppHost.Kubernetes;

/// <summary>
/// Turns the values of the app model (strings, parameters, endpoint and connection-string references) into what the
/// manifests can say: a literal, a Secret key or an infrastructure parameter. References to resources published into
/// the cluster resolve to their Services, whose names are the resources' names.
/// </summary>
internal sealed class ManifestValueResolver(ISet<IResource> publishedResources)
{
    /// <summary>The port a .NET service listens on in its container when the model gives none (the SDK images' default).</summary>
    private const int DefaultServicePort = 8080;

    /// <summary>The port the endpoint listens on in its container, which its Service exposes under the same number.</summary>
    public static int TargetPort(EndpointAnnotation endpoint) => endpoint.TargetPort ?? DefaultServicePort;

    public async Task<ManifestValue> ResolveAsync(object value, CancellationToken cancellationToken) => value switch
    {
        string text => new ManifestValue.Literal(text),
        ParameterResource { IsConnectionString: true } address => new ManifestValue.InfrastructureKey(
            address.Name, await address.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty),
        ParameterResource { Secret: true } secret => new ManifestValue.SecretKey(secret.Name),
        ParameterResource setting => new ManifestValue.Literal(
            await setting.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty),
        ConnectionStringReference reference => await ResolveAsync(reference.Resource, cancellationToken).ConfigureAwait(false),
        IResourceWithConnectionString resource when publishedResources.Contains(resource) =>
            await ResolveAsync(resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false),

        // Not a workload of ours: a service the platform runs, whose address is a parameter of the output.
        IResourceWithConnectionString managed => new ManifestValue.InfrastructureKey(
            managed.Name, await managed.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty),
        EndpointReference endpoint => new ManifestValue.Literal(Property(endpoint, EndpointProperty.Url)),
        EndpointReferenceExpression expression => new ManifestValue.Literal(Property(expression.Endpoint, expression.Property)),
        ReferenceExpression expression => await ResolveAsync(expression, cancellationToken).ConfigureAwait(false),
        IResource resource => throw Unpublishable(resource.Name, "it is not published into the cluster and is no parameter"),
        _ => throw Unpublishable(value.GetType().Name, "the Kubernetes publisher does not know this kind of value"),
    };

    private async Task<ManifestValue> ResolveAsync(ReferenceExpression expression, CancellationToken cancellationToken)
    {
        if (expression.IsConditional)
        {
            throw Unpublishable(expression.ValueExpression, "conditional expressions are not supported");
        }

        var parts = new List<ManifestValue>();
        foreach (var provider in expression.ValueProviders)
        {
            parts.Add(await ResolveAsync(provider, cancellationToken).ConfigureAwait(false));
        }

        // A value that is one secret or one managed address as a whole stays a reference; inside a longer text it cannot.
        if (parts.Count == 1 && expression.Format == "{0}")
        {
            return parts[0];
        }

        var literals = parts.Select(part => part is ManifestValue.Literal literal
            ? literal.Value
            : throw Unpublishable(expression.ValueExpression, "a secret or a managed address cannot be part of a longer value"));
        return new ManifestValue.Literal(string.Format(CultureInfo.InvariantCulture, expression.Format, [.. literals]));
    }

    /// <summary>An endpoint as another pod in the namespace reaches it: through the Service named after its resource.</summary>
    private string Property(EndpointReference endpoint, EndpointProperty property)
    {
        if (!publishedResources.Contains(endpoint.Resource))
        {
            throw Unpublishable(endpoint.Resource.Name, "its endpoint is referenced but the resource is not published");
        }

        var host = endpoint.Resource.Name;
        var port = TargetPort(endpoint.EndpointAnnotation).ToString(CultureInfo.InvariantCulture);
        var scheme = endpoint.EndpointAnnotation.UriScheme;
        return property switch
        {
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => scheme,
            EndpointProperty.Url => $"{scheme}://{host}:{port}",
            _ => throw Unpublishable($"{endpoint.Resource.Name}.{endpoint.EndpointName}", $"endpoint property {property} is not supported"),
        };
    }

    private static InvalidOperationException Unpublishable(string what, string why) =>
        new($"Cannot write '{what}' into the Kubernetes manifests: {why}.");
}
