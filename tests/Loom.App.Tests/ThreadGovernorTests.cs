using System.Diagnostics;
using Loom.Platform;
using Loom.Training;

namespace Loom.App.Tests;

/// <summary>
/// The thread governor: its decision from the others' load, its two-readings rule, and the /proc readings it
/// decides from, against a real busy process. (The end-to-end check, a real `loom train` beside a busy core,
/// is in Loom.Tests' ThreadSharingTests.)
/// </summary>
public sealed class ThreadGovernorTests
{
    [Theory]
    [InlineData(0.0, 2, 2, 2, 2)]
    [InlineData(0.2, 2, 2, 2, 2)]    // background noise keeps every thread
    [InlineData(0.4, 2, 2, 2, 1)]    // a third of a core taken: one thread left
    [InlineData(0.6, 2, 2, 2, 1)]    // a single-threaded spinner beside our two spinning threads
    [InlineData(1.0, 2, 2, 2, 1)]
    [InlineData(2.0, 2, 2, 2, 1)]    // never fewer than one
    [InlineData(0.0, 16, 16, 4, 4)]  // never more than the XP's threads
    [InlineData(5.0, 16, 16, 16, 11)]
    [InlineData(0.0, 16, 2, 8, 2)]   // affinity or a cgroup quota: 2 usable cores on a 16-CPU machine
    public void TargetIsTheFreeCoresWithinOneAndMax(double others, int cpus, int usable, int max, int expected)
        => Assert.Equal(expected, ThreadGovernor.Target(others, cpus, usable, max));

    /// <summary>Feeds readings where the others' load per window follows <paramref name="others"/>; returns the counts applied.</summary>
    static List<int> Drive(params double[] others)
    {
        var applied = new List<int>();
        long t = 0, busy = 0;
        var readings = new Queue<CpuSample>();
        readings.Enqueue(new CpuSample(0, 0, 0, 2));
        foreach (var o in others)
        {
            t += 200; // 100 ticks per CPU per window
            busy += (long)Math.Round(o * 100);
            readings.Enqueue(new CpuSample(t, busy, 0, 2));
        }
        var governor = new ThreadGovernor(2, applied.Add, read: () => readings.Dequeue(), usableCores: 2, interval: TimeSpan.Zero);
        governor.FitStarted(null!);
        for (int i = 0; i < others.Length; i++) governor.StepEnded(null!);
        return applied;
    }

    [Fact]
    public void OneBusyWindowChangesNothing() => Assert.Empty(Drive(0, 1.0, 0, 0));

    [Fact]
    public void TwoBusyWindowsDropAThreadAndTwoFreeOnesRestoreIt() => Assert.Equal([1, 2], Drive(0, 1.0, 1.0, 1.0, 0, 0));

    [Fact]
    public void ReadingsOfTheRealMachineSeeAnotherProcessBurningACore()
    {
        var before = CpuUsage.Read() ?? throw new InvalidOperationException("/proc/stat unreadable");
        Assert.True(before.Cpus >= 1);
        using var spinner = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "while True: pass"]))!;
        try
        {
            Thread.Sleep(1500);
            double others = CpuUsage.Read()!.Value.OtherCoresSince(before);
            // The spinner alone is one core over ~1.5 s of 1.6 s; whatever else runs (other test classes) only adds.
            Assert.True(others >= 0.6, $"others used {others:F2} cores while a process spun on one");
        }
        finally
        {
            spinner.Kill();
            spinner.WaitForExit();
        }
    }

    /// <summary>This process's ticks from /proc/self/stat agree with .NET's own count of its CPU time (so what the
    /// governor subtracts as ours is ours), whatever else the machine runs meanwhile.</summary>
    [Fact]
    public void OwnTicksAgreeWithTheProcessCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        var before = CpuUsage.Read()!.Value;
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        double x = 0;
        while (clock.ElapsedMilliseconds < 1000) x += Math.Sqrt(x + 1);
        var after = CpuUsage.Read()!.Value;
        self.Refresh();
        double fromProc = (after.OwnTicks - before.OwnTicks) / 100.0; // USER_HZ
        double fromDotnet = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        Assert.True(fromProc > 0.2, $"only {fromProc:F2} s of CPU counted for 1 s of spinning ({x})");
        Assert.True(Math.Abs(fromProc - fromDotnet) < 0.1, $"/proc says {fromProc:F2} s of CPU, .NET says {fromDotnet:F2} s");
    }
}
