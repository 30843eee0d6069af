using System.Globalization;

namespace Harmony.Bench;

/// <summary>Reads a Linux process's memory from <c>/proc/&lt;pid&gt;/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in MiB, or null where /proc is not available.</summary>
    public static double? PeakResidentMiB(int pid) => ReadKiB(pid, "VmHWM:") is { } kib ? kib / 1024.0 : null;

    /// <summary>Current resident set size (VmRSS) in MiB, or null where /proc is not available.</summary>
    public static double? ResidentMiB(int pid) => ReadKiB(pid, "VmRSS:") is { } kib ? kib / 1024.0 : null;

    /// <summary>The child of this process whose command line contains <paramref name="marker"/>, if any.</summary>
    public static int? FindChild(string marker)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var parent = File.ReadLines(Path.Combine(directory, "status"))
                    .FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal))?["PPid:".Length..].Trim();
                if (parent == self && File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked at it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read, so not our child either.
            }
        }

        return null;
    }

    private static long? ReadKiB(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null
                ? null
                : long.Parse(line[field.Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
