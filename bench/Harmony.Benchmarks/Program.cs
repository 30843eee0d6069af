using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Harmony.Bench;

// The benchmark classes are public and not sealed: BenchmarkDotNet derives from them to run them.
internal static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        // A short job in this process: the whole suite takes minutes, not an hour, and needs no generated project built
        // under this repository's warnings-as-errors props. Ten short iterations rather than ShortRun's three, because
        // these machines are shared and a single disturbed iteration would otherwise dominate. --job adds others.
        var shortJob = Job.Default
            .WithId("Short10")
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .AsDefault();
        var config = DefaultConfig.Instance
            .AddJob(shortJob)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
