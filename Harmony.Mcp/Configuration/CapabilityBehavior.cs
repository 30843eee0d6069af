namespace Harmony.Mcp.Configuration;

/// <summary>What a capability call answers with.</summary>
public enum CapabilityBehavior
{
    /// <summary>Wait for the workflow's result, up to the await timeout.</summary>
    Await,

    /// <summary>Answer at once with the workflow handle.</summary>
    Start,
}
