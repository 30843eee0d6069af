namespace Harmony.AppHost.OpenBao;

/// <summary>An OpenBao dev server; its connection string is its address, what <c>BAO_ADDR</c> expects.</summary>
internal sealed class OpenBaoResource(string name, ParameterResource rootToken)
    : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the HTTP API endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The dev server's root token.</summary>
    public ParameterResource RootToken { get; } = rootToken;

    /// <summary>The HTTP API endpoint.</summary>
    public EndpointReference Http => field ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Http.Property(EndpointProperty.Url)}");
}
