using System.Globalization;

namespace Loom.Platform;

/// <summary>
/// One reading of the machine's CPU time and this process's, in clock ticks, from Linux's /proc (no library
/// exposes the machine-wide counters; .NET's Process gives only our own). Two readings give how many cores the
/// other processes kept busy in between.
/// </summary>
/// <param name="TotalTicks">All CPUs' ticks since boot, idle included (the `cpu` line of /proc/stat).</param>
/// <param name="BusyTicks">The part of <paramref name="TotalTicks"/> not idle nor waiting for I/O.</param>
/// <param name="OwnTicks">This process's user and system ticks (/proc/self/stat).</param>
/// <param name="Cpus">CPUs the kernel reports (the `cpuN` lines of /proc/stat).</param>
public readonly record struct CpuSample(long TotalTicks, long BusyTicks, long OwnTicks, int Cpus)
{
    /// <summary>Cores the other processes used on average between <paramref name="before"/> and this reading (≥ 0).</summary>
    public double OtherCoresSince(CpuSample before)
    {
        long total = TotalTicks - before.TotalTicks;
        if (total <= 0 || Cpus <= 0) return 0;
        double perCpu = (double)total / Cpus;   // the interval's length in ticks
        double others = (BusyTicks - before.BusyTicks - (OwnTicks - before.OwnTicks)) / perCpu;
        return Math.Max(0, others);
    }
}

public static class CpuUsage
{
    /// <summary>The current reading, or null where /proc is not Linux's (then nothing adapts).</summary>
    public static CpuSample? Read()
    {
        try
        {
            long total = 0, busy = 0;
            int cpus = 0;
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("cpu ", StringComparison.Ordinal))
                {
                    // user nice system idle iowait irq softirq steal (guest time is already inside user)
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    for (int i = 1; i <= 8 && i < f.Length; i++)
                    {
                        long v = long.Parse(f[i], CultureInfo.InvariantCulture);
                        total += v;
                        if (i != 4 && i != 5) busy += v;
                    }
                }
                else if (line.StartsWith("cpu", StringComparison.Ordinal)) cpus++;
                else if (cpus > 0) break;
            }
            // /proc/self/stat: the command name may hold spaces, so count fields after its closing parenthesis;
            // utime and stime are fields 14 and 15.
            var stat = File.ReadAllText("/proc/self/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long own = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return cpus == 0 ? null : new CpuSample(total, busy, own, cpus);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
