namespace Harmony.Worker.Secrets;

/// <summary>Where OpenBao runs and how to read from it: <c>BAO_ADDR</c>, <c>BAO_TOKEN</c>, <c>BAO_KV_MOUNT</c>.</summary>
internal sealed record OpenBaoSettings(Uri Address, string? Token, string Mount)
{
    public static OpenBaoSettings From(IConfiguration configuration) => new(
        new Uri(configuration["BAO_ADDR"] is { Length: > 0 } address ? address : "http://localhost:8200"),
        configuration["BAO_TOKEN"] is { Length: > 0 } token ? token : null,
        (configuration["BAO_KV_MOUNT"] is { Length: > 0 } mount ? mount : "secret").Trim('/'));
}
