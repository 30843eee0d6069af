using System.Net;
using System.Text.Json;

namespace Harmony.Worker.Secrets;

/// <summary>Reads secrets from OpenBao's KV version 2 engine over its HTTP API.</summary>
internal sealed class OpenBaoClient(HttpClient http, OpenBaoSettings settings)
{
    public const string TokenHeader = "X-Vault-Token";

    /// <summary>Reads one key of a KV v2 secret: <c>GET /v1/{mount}/data/{path}</c>, then <c>.data.data[key]</c>.</summary>
    /// <exception cref="SecretUnavailableException">The secret or key is missing, or OpenBao refused or failed.</exception>
    public async Task<string> ReadAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (settings.Token is null)
        {
            throw new SecretUnavailableException($"Secret reference '{reference}' needs OpenBao, but BAO_TOKEN is not set on the worker.");
        }

        var path = string.Join('/', reference.Path.Split('/').Select(Uri.EscapeDataString));
        var mount = string.Join('/', settings.Mount.Split('/').Select(Uri.EscapeDataString));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Address, $"v1/{mount}/data/{path}"));
        request.Headers.Add(TokenHeader, settings.Token);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SecretUnavailableException($"OpenBao at {settings.Address} could not be reached for '{reference}': {e.Message}", e);
        }

        using (response)
        {
            // OpenBao's error bodies say nothing secret, but they are not needed either: the status tells the operator enough.
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new SecretUnavailableException($"Secret '{reference}' does not exist in OpenBao mount '{settings.Mount}'.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SecretUnavailableException(
                    $"OpenBao answered HTTP {(int)response.StatusCode} when reading '{reference}' from mount '{settings.Mount}'.");
            }

            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("data", out var outer) || outer.ValueKind != JsonValueKind.Object
                || !outer.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new SecretUnavailableException(
                    $"OpenBao's answer for '{reference}' has no data.data object; is '{settings.Mount}' a KV v2 mount?");
            }

            if (!data.TryGetProperty(reference.Key, out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw new SecretUnavailableException($"Secret '{reference}' has no string key '{reference.Key}'.");
            }

            return value.GetString()!;
        }
    }
}
