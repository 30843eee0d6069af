namespace Harmony.AppHost.Keycloak;

/// <summary>
/// A Keycloak container serving one realm. Its connection string is that realm's OIDC authority, so a project gets
/// the same value whether Keycloak runs here or <c>ConnectionStrings:keycloak</c> names an existing one.
/// </summary>
internal sealed class KeycloakResource(string name, string realm)
    : ContainerResource(name), IResourceWithConnectionString, IResourceWithServiceDiscovery
{
    /// <summary>The name of the HTTP endpoint that serves OIDC and the admin console.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The name of the management endpoint that serves <c>/health</c> and <c>/metrics</c>.</summary>
    public const string ManagementEndpointName = "management";

    /// <summary>The realm whose authority the connection string names.</summary>
    public string Realm { get; } = realm;

    /// <summary>The HTTP endpoint.</summary>
    public EndpointReference Http => field ??= new(this, HttpEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Http.Property(EndpointProperty.Url)}/realms/{Realm}");
}
