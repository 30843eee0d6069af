namespace Harmony.Worker.Dagger;

/// <summary>The engine could not be reached, or refused or failed a query for a reason other than the container's exit.</summary>
internal sealed class DaggerUnavailableException : Exception
{
    public DaggerUnavailableException(string message)
        : base(message)
    {
    }

    public DaggerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The container ran and exited with a non-zero code (the engine's <c>EXEC_ERROR</c>).</summary>
internal sealed class DaggerExecException(int exitCode, string stderr, string stdout)
    : Exception($"The container exited with code {exitCode}.")
{
    public int ExitCode { get; } = exitCode;

    public string Stderr { get; } = stderr;

    public string Stdout { get; } = stdout;
}
