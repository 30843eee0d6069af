using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Harmony.Bench;

internal static class LoadDriverProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }

        LoadOptions options;
        string serverPath;
        try
        {
            options = LoadOptions.Parse(args);
            serverPath = Path.GetFullPath(options.ServerPath ?? LocateServer());
            if (!File.Exists(serverPath))
            {
                throw new ArgumentException($"{serverPath} does not exist; build Harmony.Mcp first, or pass --server.");
            }
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message + Environment.NewLine + LoadOptions.Usage);
            return 2;
        }

        // Every loop is bounded already; this caps the whole run in case a server stops answering.
        var runs = options.Modes.Count * McpScenarios.All.Count * options.Concurrency.Count;
        using var cancellation = new CancellationTokenSource(runs * (options.Duration + TimeSpan.FromMinutes(1)) + TimeSpan.FromMinutes(2));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var loadBefore = LoadAverage();
        var results = new List<ScenarioResult> { MachineNoise.Measure(options.Requests, "before") };
        var modes = new List<string>();
        foreach (var mode in options.Modes)
        {
            var inProcess = mode is "handlers" or "inproc" or "inproc-http";
            await Console.Error.WriteLineAsync($"[{mode}] starting {(inProcess ? "in this process" : serverPath)}");
            var startup = Stopwatch.StartNew();
            await using var server = await ServerUnderTest.StartAsync(mode, serverPath, options.ServerEnvironment, cancellation.Token);
            await server.VerifyAsync(cancellation.Token);
            startup.Stop();
            var connectedResident = ProcessMemory.ResidentMiB(server.Pid);
            var logLinesBefore = server.LogLines;
            var requests = 0;
            foreach (var scenario in McpScenarios.All)
            {
                foreach (var concurrency in options.Concurrency)
                {
                    var result = await LoadRun.RunAsync(server, scenario, concurrency, options, cancellation.Token);
                    results.Add(result);
                    requests += result.LatenciesMs.Count + options.Warmup;
                    await Console.Error.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"[{mode}] {scenario} x{concurrency}: {result.LatenciesMs.Count} requests, {result.Throughput:F0}/s, p50 {result.Percentile(50):F3} ms, p99 {result.Percentile(99):F3} ms"));
                }
            }

            var logLines = server.LogLines - logLinesBefore;
            modes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {mode} | {startup.Elapsed.TotalSeconds:F1} | {Mib(connectedResident)} | {Mib(ProcessMemory.PeakResidentMiB(server.Pid))} | {(inProcess ? "n/a" : (logLines / (double)requests).ToString("F2", CultureInfo.InvariantCulture))} |"));
        }

        results.Add(MachineNoise.Measure(options.Requests, "after"));
        var report = Report(options, results, modes, loadBefore, LoadAverage());
        Console.WriteLine(report);
        if (options.MarkdownPath is { } path)
        {
            await File.WriteAllTextAsync(path, report, cancellation.Token);
        }

        return 0;
    }

    private static string Report(
        LoadOptions options, List<ScenarioResult> results, List<string> modes, string loadBefore, string loadAfter)
    {
        var report = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        report.AppendLine(invariant, $"Harmony MCP load run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}");
        report.AppendLine(invariant, $"Load average before: {loadBefore}; after: {loadAfter}");
        report.AppendLine(invariant, $"Per scenario: {options.Warmup} warm-up requests, then at most {options.Requests} requests or {options.Duration.TotalSeconds:F0} s.");
        if (options.ServerEnvironment.Count > 0)
        {
            report.AppendLine(invariant, $"Extra server environment: {string.Join(", ", options.ServerEnvironment.Select(v => $"{v.Key}={v.Value}"))}");
        }

        report.AppendLine();
        report.AppendLine("| mode | request | in flight | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | peak RSS MiB |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            report.AppendLine(invariant, $"| {r.Mode} | {r.Scenario} | {r.Concurrency} | {r.LatenciesMs.Count} | {r.Throughput:F0} | {r.Percentile(50):F3} | {r.Percentile(90):F3} | {r.Percentile(99):F3} | {r.Percentile(100):F3} | {Mib(r.PeakResidentMiB)} |");
        }

        report.AppendLine();
        report.AppendLine("| mode | start to first answer s | RSS after connect MiB | peak RSS (VmHWM) MiB | server log lines per request |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var mode in modes)
        {
            report.AppendLine(mode);
        }

        report.AppendLine();
        report.AppendLine("The machine rows time a fixed CPU task like a request: the distance between their p50 and p99 is what other");
        report.AppendLine("processes and the scheduler add to every row measured at the same time.");
        report.AppendLine("Memory is read from /proc/<pid>/status (VmRSS, VmHWM) of the server process; for handlers and inproc* that is this");
        report.AppendLine("driver's own process, which holds server and client and keeps its peak from the modes run before.");

        return report.ToString();
    }

    private static string Mib(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The server build next to this repository's solution, in the configuration this driver was built in.</summary>
    private static string LocateServer()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Harmony.sln")))
            {
                return Path.Combine(directory.FullName, "Harmony.Mcp", "bin", configuration, "net10.0", "Harmony.Mcp.dll");
            }
        }

        throw new ArgumentException("Harmony.sln was not found above this driver; pass --server PATH/Harmony.Mcp.dll.");
    }
}
