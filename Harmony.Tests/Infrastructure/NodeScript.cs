using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Harmony.Tests.Infrastructure;

/// <summary>What a Node.js script in <c>Harmony.Tests/KubernetesSchemas</c> wrote, and how it exited.</summary>
public sealed record NodeScriptRun(int ExitCode, string Output, string Errors);

/// <summary>Runs the Node.js scripts the Kubernetes tests lean on, in the folder that holds their npm packages.</summary>
public static class NodeScript
{
    private const string ToolsNeeded = "Node.js 20+ and npm are needed for the Kubernetes tests";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    // The folder holding the scripts, package.json and node_modules.
    private static readonly Lazy<string> ScriptsDirectory = new(FindScriptsDirectory);

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> to its end; cancelling kills it. Throws, naming
    /// what is needed, when the npm packages are missing or <c>node</c> cannot be started.
    /// </summary>
    public static async Task<NodeScriptRun> RunAsync(
        string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var directory = ScriptsDirectory.Value;
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException(
                $"{Path.Combine(directory, "node_modules")} is missing: run `npm ci` in {directory}, as building Harmony.Tests does. {ToolsNeeded}.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(directory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"node did not start. {ToolsNeeded}.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"node could not be started ({e.Message}). {ToolsNeeded}.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new NodeScriptRun(process.ExitCode, await stdout, (await stderr).Trim());
        }
    }

    /// <summary>The scripts' output: one JSON object a line, each read as a <typeparamref name="T"/>.</summary>
    public static List<T> Results<T>(string script, string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize<T>(line, JsonOptions)
                ?? throw new InvalidOperationException($"{script} wrote a line that is not a result: {line}")),
    ];

    private static string FindScriptsDirectory()
    {
        const string Marker = "validate.mjs";

        // Written into the assembly by Harmony.Tests.csproj; the walk up is for an output folder moved off its build.
        var recorded = typeof(NodeScript).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "KubernetesSchemasDirectory")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, Marker)))
        {
            return Path.GetFullPath(recorded);
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "Harmony.Tests", "KubernetesSchemas");
            if (File.Exists(Path.Combine(candidate, Marker)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Harmony.Tests/KubernetesSchemas/{Marker} was found neither where the build recorded it ({recorded ?? "nothing recorded"}) nor above {AppContext.BaseDirectory}.");
    }
}
