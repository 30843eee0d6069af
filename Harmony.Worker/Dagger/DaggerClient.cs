using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Harmony.Core.Catalog;

namespace Harmony.Worker.Dagger;

/// <summary>Speaks the Dagger engine's GraphQL API over HTTP, for the few calls a capability run needs.</summary>
internal sealed class DaggerClient(HttpClient http, DaggerSessionProvider sessions)
{
    /// <summary>Registers secrets with the engine and returns their IDs by name; the values travel only in this request.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SetSecretsAsync(
        IReadOnlyDictionary<string, string> secrets, string scope, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, plaintext) in secrets.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var variables = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                // The engine keys secrets by name within a session, so the name carries the run it belongs to.
                ["name"] = $"{scope}/{name}",
                ["plaintext"] = plaintext,
            };
            var data = await QueryAsync(new GraphQLRequest(DaggerQueries.SetSecret, variables), cancellationToken).ConfigureAwait(false);
            ids[name] = data.TryGetProperty("setSecret", out var secret) && secret.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String
                ? id.GetString()!
                : throw new DaggerUnavailableException("The engine's answer to setSecret has no id.");
        }

        return ids;
    }

    /// <summary>Runs the container, never from the engine's cache, and returns what it printed on stdout.</summary>
    /// <exception cref="DaggerExecException">The container exited with a non-zero code.</exception>
    public async Task<string> RunAsync(
        ContainerSpec spec, IReadOnlyDictionary<string, string> secretIds, string runId, CancellationToken cancellationToken)
    {
        var data = await QueryAsync(DaggerQueries.RunContainer(spec, secretIds, runId), cancellationToken).ConfigureAwait(false);

        // The answer nests one object per chained field, down to the stdout leaf.
        var node = data;
        while (node.ValueKind == JsonValueKind.Object)
        {
            using var properties = node.EnumerateObject();
            if (!properties.MoveNext())
            {
                break;
            }

            var property = properties.Current;
            if (property.Name == "stdout" && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString()!;
            }

            node = property.Value;
        }

        throw new DaggerUnavailableException("The engine's answer has no stdout.");
    }

    private async Task<JsonElement> QueryAsync(GraphQLRequest request, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(cancellationToken).ConfigureAwait(false);
        using var message = new HttpRequestMessage(HttpMethod.Post, session.QueryEndpoint)
        {
            Content = JsonContent.Create(new { query = request.Query, variables = request.Variables }),
        };

        // The engine expects the session token as the Basic user name, with an empty password.
        message.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{session.Token}:")));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            sessions.Invalidate(session);
            throw new DaggerUnavailableException($"The Dagger engine at {session.QueryEndpoint} could not be reached: {e.Message}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new DaggerUnavailableException($"The Dagger engine answered HTTP {(int)response.StatusCode} without a GraphQL response.");
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                throw ToException(errors);
            }

            if (!response.IsSuccessStatusCode || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new DaggerUnavailableException($"The Dagger engine answered HTTP {(int)response.StatusCode} without data.");
            }

            return data;
        }
    }

    private static Exception ToException(JsonElement errors)
    {
        foreach (var error in errors.EnumerateArray())
        {
            if (error.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object
                && extensions.TryGetProperty("_type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "EXEC_ERROR")
            {
                return new DaggerExecException(
                    extensions.TryGetProperty("exitCode", out var code) && code.TryGetInt32(out var exitCode) ? exitCode : -1,
                    StringOrEmpty(extensions, "stderr"),
                    StringOrEmpty(extensions, "stdout"));
            }
        }

        var messages = errors.EnumerateArray().Select(e => StringOrEmpty(e, "message")).Where(m => m.Length > 0);
        return new DaggerUnavailableException($"The Dagger engine refused the query: {string.Join("; ", messages)}");
    }

    private static string StringOrEmpty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : string.Empty;
}
