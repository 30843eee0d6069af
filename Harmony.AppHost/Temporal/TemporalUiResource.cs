namespace Harmony.AppHost.Temporal;

/// <summary>The Temporal web UI container; its connection string is the URL status links point at.</summary>
internal sealed class TemporalUiResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the UI's HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The UI's HTTP endpoint.</summary>
    public EndpointReference Http => field ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Http.Property(EndpointProperty.Url)}");
}
