using System.Diagnostics;
using System.Security.Cryptography;

namespace Harmony.Bench;

/// <summary>
/// A control for the tables: a fixed piece of CPU work, no I/O and no allocation, timed exactly like a request. Its
/// p50 is the work; how far its p99 and max lie above that is what the machine (other processes, the scheduler)
/// adds to anything measured at the same time.
/// </summary>
internal static class MachineNoise
{
    private const int HashesPerSample = 16;

    public static ScenarioResult Measure(int samples, string when)
    {
        var key = new byte[32];
        var data = new byte[1024];
        var hash = new byte[HMACSHA256.HashSizeInBytes];
        for (var i = 0; i < 1000; i++)
        {
            HMACSHA256.HashData(key, data, hash);
        }

        var latencies = new double[samples];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var j = 0; j < HashesPerSample; j++)
            {
                HMACSHA256.HashData(key, data, hash);
                data[j] = hash[0];
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        Array.Sort(latencies);
        return new ScenarioResult($"machine ({when})", $"control: {HashesPerSample} x HMAC-SHA256 of 1 KB", 1, latencies, total.Elapsed, null);
    }
}
