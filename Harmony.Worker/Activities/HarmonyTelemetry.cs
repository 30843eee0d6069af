using System.Diagnostics;

namespace Harmony.Worker.Activities;

/// <summary>The worker's own tracing source; the service defaults export it as <c>Harmony</c>.</summary>
internal static class HarmonyTelemetry
{
    public static readonly ActivitySource Source = new(Extensions.HarmonyTelemetrySource);
}
