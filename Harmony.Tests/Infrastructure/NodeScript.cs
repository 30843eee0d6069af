using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Harmony.Tests.Infrastructure;

/// <summary>What a Node.js script in <c>Harmony.Tests/KubernetesSchemas</c> wrote, and how it exited.</summary>
public sealed record NodeScriptRun(int ExitCode, string Output, string Errors);

/// <summary>Runs the Node.js scripts the Kubernetes tests lean on, in the folder that holds their npm packages.</summary>
public static class NodeScript
{
    private const string ToolsNeeded = "Node.js 20+ and npm are needed for the Kubernetes tests";

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> to its end; cancelling kills it. Throws, naming
    /// what is needed, when <c>node</c> cannot be started.
    /// </summary>
    public static async Task<NodeScriptRun> RunAsync(
        string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var directory = KubernetesSchemaValidator.SchemasDirectory;
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
}
