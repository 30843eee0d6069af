namespace Harmony.Worker.Hosting;

/// <summary>A configuration value the worker cannot run with; its message names the offending setting.</summary>
public sealed class InvalidWorkerConfigurationException : InvalidOperationException
{
    public InvalidWorkerConfigurationException()
    {
    }

    public InvalidWorkerConfigurationException(string message)
        : base(message)
    {
    }

    public InvalidWorkerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
