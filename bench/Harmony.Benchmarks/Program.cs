using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Harmony.Bench;

internal static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        // ShortRun (3 warm-up, 3 measured iterations) in this process: the whole suite takes minutes, not an hour, and
        // needs no generated project built under this repository's warnings-as-errors props. Pass --job to add others.
        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
