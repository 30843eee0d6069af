namespace Harmony.Core.Catalog.BuiltIn;

/// <summary>The images the built-in capabilities run, pinned by tag and fully qualified.</summary>
internal static class ContainerImages
{
    public const string Alpine = "docker.io/library/alpine:3.20";
    public const string Curl = "docker.io/curlimages/curl:8.11.1";
    public const string Kubectl = "registry.k8s.io/kubectl:v1.32.9";
    public const string Postgres = "docker.io/library/postgres:17-alpine";
}
