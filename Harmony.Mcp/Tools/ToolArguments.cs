namespace Harmony.Mcp.Tools;

/// <summary>
/// Argument names the MCP surface adds beside a capability's own input: they carry the workflow input's
/// <c>config</c> and <c>secretRefs</c>, which the capability's input schema does not describe.
/// </summary>
public static class ToolArguments
{
    public const string Config = "config";

    public const string SecretRefs = "secretRefs";
}
