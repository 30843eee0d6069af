namespace Harmony.Core.Configuration;

/// <summary>
/// A configuration value a Harmony process cannot run with. Its message names every offending setting; the hosts
/// print it as one sentence and exit with code 2.
/// </summary>
public sealed class InvalidConfigurationException : InvalidOperationException
{
    /// <summary>An exception without a message.</summary>
    public InvalidConfigurationException()
    {
    }

    /// <summary>An exception whose message names the offending settings.</summary>
    public InvalidConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>An exception whose message names the offending settings, caused by <paramref name="innerException"/>.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
