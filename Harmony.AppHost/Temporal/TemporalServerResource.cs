namespace Harmony.AppHost.Temporal;

/// <summary>A Temporal server container; its connection string is the frontend's gRPC <c>host:port</c>.</summary>
internal sealed class TemporalServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the frontend's gRPC endpoint.</summary>
    public const string FrontendEndpointName = "grpc";

    /// <summary>The frontend's gRPC endpoint, the only one clients need.</summary>
    public EndpointReference Frontend => field ??= new(this, FrontendEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Frontend.Property(EndpointProperty.HostAndPort)}");
}
