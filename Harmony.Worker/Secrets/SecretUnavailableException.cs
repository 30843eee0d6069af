namespace Harmony.Worker.Secrets;

/// <summary>A secret reference could not be resolved; the message names the reference, never a value.</summary>
internal sealed class SecretUnavailableException : Exception
{
    public SecretUnavailableException(string message)
        : base(message)
    {
    }

    public SecretUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
