using System.Text;
using System.Text.Json;
using Harmony.Core.Catalog;

namespace Harmony.Worker.Dagger;

/// <summary>A GraphQL document and its variables.</summary>
internal sealed record GraphQLRequest(string Query, IReadOnlyDictionary<string, object> Variables);

/// <summary>The GraphQL documents the worker sends to the Dagger engine.</summary>
internal static class DaggerQueries
{
    public const string SetSecret = """
        query SetSecret($name: String!, $plaintext: String!) {
          setSecret(name: $name, plaintext: $plaintext) {
            id
          }
        }
        """;

    /// <summary>The variable that makes every run's exec unique to the engine's cache.</summary>
    public const string RunIdVariable = "HARMONY_RUN_ID";

    /// <summary>
    /// Builds the query that runs a container spec and selects its stdout. Every value travels as a variable, except
    /// secret IDs: the engine renamed their scalar (<c>SecretID</c> became <c>ID</c>), so no variable type works
    /// on engines both before and after that change, while a string literal does.
    /// </summary>
    /// <param name="spec">The container to run.</param>
    /// <param name="secretIds">The engine's IDs of the secrets the spec names.</param>
    /// <param name="runId">
    /// What identifies this one run (workflow run, activity and attempt). The engine caches an exec by its inputs and
    /// answers an identical one from the cache without running it, so a second probe or API call with the same input
    /// would return the first one's stale stdout; the run id as an environment variable makes each run its own.
    /// </param>
    public static GraphQLRequest RunContainer(ContainerSpec spec, IReadOnlyDictionary<string, string> secretIds, string runId)
    {
        var declarations = new List<string> { "$image: String!" };
        var variables = new Dictionary<string, object>(StringComparer.Ordinal) { ["image"] = spec.Image };
        var steps = new List<string> { "container", "from(address: $image)" };

        var index = 0;
        foreach (var (path, contents) in spec.Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            declarations.Add($"$file{index}Path: String!, $file{index}Contents: String!");
            variables[$"file{index}Path"] = path;
            variables[$"file{index}Contents"] = contents;
            steps.Add($"withNewFile(path: $file{index}Path, contents: $file{index}Contents)");
            index++;
        }

        index = 0;
        foreach (var (name, value) in spec.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            declarations.Add($"$env{index}Name: String!, $env{index}Value: String!");
            variables[$"env{index}Name"] = name;
            variables[$"env{index}Value"] = value;
            steps.Add($"withEnvVariable(name: $env{index}Name, value: $env{index}Value)");
            index++;
        }

        index = 0;
        foreach (var (name, secret) in spec.SecretEnvironment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            declarations.Add($"$secretEnv{index}Name: String!");
            variables[$"secretEnv{index}Name"] = name;
            steps.Add($"withSecretVariable(name: $secretEnv{index}Name, secret: {StringLiteral(secretIds[secret])})");
            index++;
        }

        index = 0;
        foreach (var (path, secret) in spec.SecretFiles.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            declarations.Add($"$secretFile{index}Path: String!");
            variables[$"secretFile{index}Path"] = path;
            steps.Add($"withMountedSecret(path: $secretFile{index}Path, source: {StringLiteral(secretIds[secret])})");
            index++;
        }

        // Last before the exec, so the image and file layers above it stay cached.
        declarations.Add("$runId: String!");
        variables["runId"] = runId;
        steps.Add($"withEnvVariable(name: {StringLiteral(RunIdVariable)}, value: $runId)");

        declarations.Add("$args: [String!]!, $useEntrypoint: Boolean!");
        variables["args"] = spec.Args;
        variables["useEntrypoint"] = spec.UseEntrypoint;
        steps.Add("withExec(args: $args, useEntrypoint: $useEntrypoint)");
        steps.Add("stdout");

        var query = new StringBuilder();
        query.Append("query RunCapability(").AppendJoin(", ", declarations).Append(") {\n");
        for (var depth = 0; depth < steps.Count; depth++)
        {
            query.Append(' ', 2 * (depth + 1)).Append(steps[depth]).Append(depth < steps.Count - 1 ? " {\n" : "\n");
        }

        for (var depth = steps.Count - 2; depth >= 0; depth--)
        {
            query.Append(' ', 2 * (depth + 1)).Append("}\n");
        }

        query.Append('}');
        return new GraphQLRequest(query.ToString(), variables);
    }

    /// <summary>A GraphQL string literal; JSON's escapes are a subset of GraphQL's, so a JSON string is one.</summary>
    public static string StringLiteral(string value) => JsonSerializer.Serialize(value);
}
