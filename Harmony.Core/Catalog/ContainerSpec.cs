namespace Harmony.Core.Catalog;

/// <summary>What the worker asks the Dagger engine to run for one capability call.</summary>
/// <remarks>
/// Secrets appear here only by name: <see cref="SecretEnvironment"/> and <see cref="SecretFiles"/> map a variable or
/// a file path to the name of an entry in the call's secret references, which the worker resolves and hands to
/// Dagger as a secret.
/// </remarks>
public sealed record ContainerSpec
{
    /// <summary>The image reference, for example <c>docker.io/library/alpine:3.20</c>.</summary>
    public required string Image { get; init; }

    /// <summary>The command and its arguments.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>Whether <see cref="Args"/> are appended to the image's entrypoint instead of replacing it.</summary>
    public bool UseEntrypoint { get; init; }

    /// <summary>Plain environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables whose values are secrets: variable name to secret name.</summary>
    public IReadOnlyDictionary<string, string> SecretEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Files written into the container before it runs: absolute path to contents.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>Secrets mounted as files: absolute path to secret name.</summary>
    public IReadOnlyDictionary<string, string> SecretFiles { get; init; } = new Dictionary<string, string>();
}
