using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harmony.AppHost.OpenBao;

/// <summary>OpenBao in dev mode: unsealed, in memory, KV v2 mounted at <c>secret/</c>, root token from a parameter.</summary>
internal static class OpenBaoResourceBuilderExtensions
{
    // https://openbao.org/docs/concepts/dev-server/ and the image's docker-entrypoint.sh.
    private const string Registry = "quay.io";
    private const string Image = "openbao/openbao";
    private const string Tag = "2.6.2";
    private const int HttpPort = 8200;
    private const string ListenAddress = "0.0.0.0:8200";

    /// <summary>Adds an OpenBao dev server whose root token is <paramref name="rootToken"/>.</summary>
    public static IResourceBuilder<OpenBaoResource> AddOpenBao(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> rootToken)
    {
        ArgumentNullException.ThrowIfNull(rootToken);

        return builder.AddResource(new OpenBaoResource(name, rootToken.Resource))
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(targetPort: HttpPort, name: OpenBaoResource.HttpEndpointName)
            .WithUrlForEndpoint(OpenBaoResource.HttpEndpointName, url => url.DisplayText = "OpenBao UI")
            .WithEnvironment("BAO_DEV_ROOT_TOKEN_ID", rootToken)
            .WithEnvironment("BAO_DEV_LISTEN_ADDRESS", ListenAddress)
            .WithHttpHealthCheck("/v1/sys/health");
    }

    /// <summary>
    /// Writes <paramref name="secrets"/> into the KV v2 <paramref name="mount"/> once OpenBao is healthy, before anything
    /// that waits for it starts. Dev mode keeps nothing across restarts, so this runs on every start.
    /// </summary>
    public static IResourceBuilder<OpenBaoResource> WithSeededSecrets(
        this IResourceBuilder<OpenBaoResource> builder, string mount, IReadOnlyList<OpenBaoSecret> secrets) =>
        builder.OnResourceReady((resource, @event, ct) => SeedAsync(resource, mount, secrets, @event.Services, ct));

    private static async Task SeedAsync(
        OpenBaoResource openBao,
        string mount,
        IReadOnlyList<OpenBaoSecret> secrets,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(openBao);
        var token = await openBao.RootToken.GetValueAsync(cancellationToken).ConfigureAwait(false);
        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
        http.BaseAddress = new Uri(openBao.Http.Url);
        http.DefaultRequestHeaders.Add("X-Vault-Token", token);
        await WriteSecretsAsync(http, mount, secrets, logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes each secret with KV v2's create-or-update call, logging paths, never values; returns how many.</summary>
    internal static async Task<int> WriteSecretsAsync(
        HttpClient http,
        string mount,
        IReadOnlyList<OpenBaoSecret> secrets,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var secret in secrets)
        {
            var data = new Dictionary<string, string?>();
            foreach (var (key, value) in secret.Data)
            {
                data[key] = await value.GetValueAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                // https://openbao.org/api-docs/secret/kv/kv-v2/#create-update-secret
                using var response = await http
                    .PostAsJsonAsync($"v1/{mount}/data/{secret.Path}", new { data }, cancellationToken)
                    .ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    written++;
                    logger.LogInformation("Wrote the demo secret {Mount}/{Path}.", mount, secret.Path);
                }
                else
                {
                    logger.LogError(
                        "Could not write the demo secret {Mount}/{Path}: OpenBao answered {Status}.",
                        mount,
                        secret.Path,
                        (int)response.StatusCode);
                }
            }
            catch (HttpRequestException e)
            {
                logger.LogError(e, "Could not write the demo secret {Mount}/{Path}: OpenBao did not answer.", mount, secret.Path);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's own timeout: a demo secret missing is worth a log line, not a worker that never starts.
                logger.LogError(e, "Could not write the demo secret {Mount}/{Path}: OpenBao did not answer in time.", mount, secret.Path);
            }
        }

        return written;
    }
}
