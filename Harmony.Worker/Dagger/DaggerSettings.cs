using Harmony.Core.Configuration;

namespace Harmony.Worker.Dagger;

/// <summary>
/// How the worker reaches the Dagger engine: an existing session (<c>DAGGER_SESSION_PORT</c> and
/// <c>DAGGER_SESSION_TOKEN</c>, as <c>dagger run</c> provides them) or a session of its own started with the CLI.
/// </summary>
internal sealed record DaggerSettings(int? SessionPort, string? SessionToken, string CliPath, TimeSpan SessionStartTimeout)
{
    public static DaggerSettings From(IConfiguration configuration)
    {
        int? port = int.TryParse(configuration["DAGGER_SESSION_PORT"], out var parsed) && parsed is > 0 and < 65536 ? parsed : null;
        if (port is not null && string.IsNullOrEmpty(configuration["DAGGER_SESSION_TOKEN"]))
        {
            throw new InvalidConfigurationException("DAGGER_SESSION_PORT is set but DAGGER_SESSION_TOKEN is not; an existing Dagger session needs both.");
        }

        return new DaggerSettings(
            port,
            configuration["DAGGER_SESSION_TOKEN"],
            configuration["DAGGER_CLI"] is { Length: > 0 } cli ? cli : "dagger",

            // The first session on a machine may pull the engine image, which takes minutes rather than seconds.
            TimeSpan.FromMinutes(5));
    }
}
