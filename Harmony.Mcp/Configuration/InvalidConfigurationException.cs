namespace Harmony.Mcp.Configuration;

/// <summary>A configuration value the server cannot run with; its message names every offending knob.</summary>
public sealed class InvalidConfigurationException : InvalidOperationException
{
    public InvalidConfigurationException()
    {
    }

    public InvalidConfigurationException(string message)
        : base(message)
    {
    }

    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
