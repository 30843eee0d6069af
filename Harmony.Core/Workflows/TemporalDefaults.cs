namespace Harmony.Core.Workflows;

/// <summary>Where Harmony finds Temporal when nothing else is configured.</summary>
public static class TemporalDefaults
{
    /// <summary>The task queue the MCP server starts workflows on and the worker polls.</summary>
    public const string TaskQueue = "golden-tools";

    /// <summary>The Temporal frontend's gRPC address.</summary>
    public const string Address = "localhost:7233";

    /// <summary>The Temporal namespace.</summary>
    public const string Namespace = "default";

    /// <summary>The Temporal web UI, used to build status URLs.</summary>
    public const string UiUrl = "http://localhost:8233";
}
