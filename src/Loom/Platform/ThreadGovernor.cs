using System.Diagnostics;
using Loom.Logging;
using Loom.Training;

namespace Loom.Platform;

/// <summary>
/// Keeps a training's thread count at the cores other processes leave free (at most the XP's `threads`),
/// re-deciding twice a second. Why: libtorch's OpenMP threads spin-wait at every barrier; when another process
/// holds one of the cores, a thread of ours waits for a sibling that is not running and burns the time the
/// other process needed. Measured here (docs/benchmarks.md): two trainings at once ran at 0.21× their solo
/// speed each, and one beside a busy core at 0.28×; with one thread each (no barrier to wait at) they run at
/// ~0.55×. A shorter spin count also helps but cost the lone training up to 10–20 %, and the lone training
/// is the common case; adapting costs it nothing.
/// <para>Single-process runs only: data-parallel ranks already split the cores, and a rank waiting in an MPI
/// collective busy-polls, which would look like a foreign load.</para>
/// </summary>
public sealed class ThreadGovernor : ITrainingCallback
{
    /// <summary>How often the load is read by default (at the first step end after it).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    readonly int maxThreads;
    readonly int usableCores;
    readonly Logger? log;
    readonly Func<CpuSample?> read;
    readonly Action<int> apply;
    readonly TimeSpan interval;
    readonly Stopwatch clock = Stopwatch.StartNew();
    CpuSample? last;
    int pending;

    /// <param name="maxThreads">The XP's `threads`: the count while the cores are free, and the most ever used.</param>
    /// <param name="apply">Sets the count (torch.set_num_threads); called on the training thread, as OpenMP requires.</param>
    /// <param name="log">Where each change of the count is reported, with its reason.</param>
    /// <param name="read">The CPU reading (default: <see cref="CpuUsage.Read"/>).</param>
    /// <param name="usableCores">Default: the processor count, which honours CPU affinity and cgroup quotas.</param>
    /// <param name="interval">The least time between two readings (default: <see cref="DefaultInterval"/>).</param>
    public ThreadGovernor(int maxThreads, Action<int> apply, Logger? log = null, Func<CpuSample?>? read = null, int? usableCores = null,
        TimeSpan? interval = null)
    {
        this.interval = interval ?? DefaultInterval;
        this.maxThreads = Current = maxThreads;
        this.apply = apply;
        this.log = log;
        this.read = read ?? CpuUsage.Read;
        this.usableCores = usableCores ?? Environment.ProcessorCount; // honours CPU affinity and cgroup quotas
    }

    /// <summary>The thread count in force.</summary>
    public int Current { get; private set; }

    /// <summary>
    /// Threads for the cores left free: a core counts as taken once the others use a third of it. While our
    /// threads spin, a process that wants a whole core gets only part of one (a single-threaded spinner beside
    /// two of our threads got 0.6), so rounding at one half would miss it. Within [1, max].
    /// </summary>
    public static int Target(double otherCores, int cpus, int usableCores, int maxThreads)
    {
        int taken = Math.Max(0, (int)Math.Ceiling(otherCores - 1.0 / 3));
        return Math.Clamp(Math.Min(usableCores, cpus - taken), 1, Math.Max(1, maxThreads));
    }

    public void FitStarted(FitStart fit)
    {
        last = read();
        clock.Restart();
    }

    public void StepEnded(StepEnd step)
    {
        if (clock.Elapsed < interval) return;
        clock.Restart();
        var now = read();
        if (now is not CpuSample sample || last is not CpuSample before) { last = now; return; }
        last = now;
        double others = sample.OtherCoresSince(before);
        Observe(Target(others, sample.Cpus, usableCores, maxThreads), others);
    }

    /// <summary>Changes the count once two readings in a row agree on a new one (a single busy moment changes nothing).</summary>
    void Observe(int target, double others)
    {
        if (target == Current) { pending = 0; return; }
        if (target != pending) { pending = target; return; }
        log?.Info($"threads {Current} → {target}: other processes keep {others:F1} of {usableCores} cores busy");
        Current = target;
        pending = 0;
        apply(target);
    }
}
