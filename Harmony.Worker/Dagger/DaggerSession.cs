namespace Harmony.Worker.Dagger;

/// <summary>An open Dagger session: its GraphQL endpoint on the loopback interface and the token that guards it.</summary>
internal sealed record DaggerSession(Uri QueryEndpoint, string Token)
{
    public static DaggerSession OnLocalPort(int port, string token) => new(new Uri($"http://127.0.0.1:{port}/query"), token);
}
