namespace Harmony.AppHost.Keycloak;

/// <summary>
/// Keycloak as a container. Aspire.Hosting.Keycloak is not served by the package feed we build from, so this is our
/// own small equivalent of it: same image, endpoints, health check, bootstrap admin, data volume and realm import.
/// </summary>
internal static class KeycloakResourceBuilderExtensions
{
    // https://www.keycloak.org/server/containers
    private const string Registry = "quay.io";
    private const string Image = "keycloak/keycloak";
    private const string Tag = "26.6";
    private const int ContainerUser = 1000;

    private const int HttpPort = 8080;

    // https://www.keycloak.org/server/management-interface
    private const int ManagementPort = 9000;

    // https://www.keycloak.org/server/all-config
    private const string AdminUsernameVariable = "KC_BOOTSTRAP_ADMIN_USERNAME";
    private const string AdminPasswordVariable = "KC_BOOTSTRAP_ADMIN_PASSWORD";
    private const string HealthEnabledVariable = "KC_HEALTH_ENABLED";

    // https://www.keycloak.org/server/importExport: every *.json file here is imported at start unless its realm exists.
    private const string ImportDirectory = "/opt/keycloak/data/import";
    private const string DataDirectory = "/opt/keycloak/data";

    /// <summary>Adds Keycloak serving <paramref name="realm"/>, with a bootstrap admin from the two parameters.</summary>
    public static IResourceBuilder<KeycloakResource> AddKeycloak(
        this IDistributedApplicationBuilder builder,
        string name,
        string realm,
        IResourceBuilder<ParameterResource> adminUsername,
        IResourceBuilder<ParameterResource> adminPassword)
    {
        ArgumentNullException.ThrowIfNull(adminUsername);
        ArgumentNullException.ThrowIfNull(adminPassword);

        return builder.AddResource(new KeycloakResource(name, realm))
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(targetPort: HttpPort, name: KeycloakResource.HttpEndpointName)
            .WithHttpEndpoint(targetPort: ManagementPort, name: KeycloakResource.ManagementEndpointName)
            .WithEndpoint(KeycloakResource.ManagementEndpointName, endpoint => endpoint.ExcludeReferenceEndpoint = true)
            .WithUrlForEndpoint(
                KeycloakResource.ManagementEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithUrlForEndpoint(KeycloakResource.HttpEndpointName, url => url.DisplayText = "Admin console")
            .WithHttpHealthCheck("/health/ready", endpointName: KeycloakResource.ManagementEndpointName)
            .WithEnvironment(AdminUsernameVariable, adminUsername)
            .WithEnvironment(AdminPasswordVariable, adminPassword)
            .WithEnvironment(HealthEnabledVariable, "true")
            // This container runs locally or, published, as an in-cluster dev copy; production uses a managed Keycloak,
            // whose `start` needs a hostname and TLS that only its operators can give (keycloak.org/server/hostname).
            .WithArgs("start-dev", "--import-realm");
    }

    /// <summary>Keeps users, sessions and the imported realm in a named volume across runs.</summary>
    public static IResourceBuilder<KeycloakResource> WithDataVolume(this IResourceBuilder<KeycloakResource> builder) =>
        builder.WithVolume(VolumeNameGenerator.Generate(builder, "data"), DataDirectory);

    /// <summary>Imports the realm files of <paramref name="directory"/> (relative to the AppHost) at start.</summary>
    public static IResourceBuilder<KeycloakResource> WithRealmImport(
        this IResourceBuilder<KeycloakResource> builder, string directory) =>
        builder.WithContainerFiles(ImportDirectory, directory, defaultOwner: ContainerUser);
}
