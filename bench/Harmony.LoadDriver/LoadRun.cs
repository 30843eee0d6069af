using System.Diagnostics;

namespace Harmony.Bench;

/// <summary>One measured scenario: latencies of every request, the wall time, and the server's peak memory after it.</summary>
internal sealed record ScenarioResult(
    string Mode,
    string Scenario,
    int Concurrency,
    IReadOnlyList<double> LatenciesMs,
    TimeSpan Elapsed,
    double? PeakResidentMiB)
{
    public double Throughput => LatenciesMs.Count / Elapsed.TotalSeconds;

    /// <summary>Nearest-rank percentile of the sorted latencies.</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Count);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Count - 1)];
    }
}

/// <summary>Sends one scenario's requests: a warm-up, then up to a request count within a time limit.</summary>
internal static class LoadRun
{
    public static async Task<ScenarioResult> RunAsync(
        ServerUnderTest server, string scenario, int concurrency, LoadOptions options, CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.Warmup; i++)
        {
            await server.SendAsync(scenario, cancellationToken).ConfigureAwait(false);
        }

        var issued = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>(options.Requests / concurrency + 1);
            while (Interlocked.Increment(ref issued) <= options.Requests && Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                await server.SendAsync(scenario, cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return latencies;
        }, cancellationToken)).ToArray();
        var all = (await Task.WhenAll(workers).ConfigureAwait(false)).SelectMany(l => l).Order().ToArray();
        total.Stop();

        return new ScenarioResult(
            server.Mode, scenario, concurrency, all, total.Elapsed, ProcessMemory.PeakResidentMiB(server.Pid));
    }
}
