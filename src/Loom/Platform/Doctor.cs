using Loom.Config;
using Loom.IO;

namespace Loom.Platform;

/// <summary>
/// `loom doctor`: one line per platform tweak, `name: state — why`, saying whether it applies on this machine with
/// this config. It does what `train` does before its first step (the libstdc++ requirement, glibc's thresholds,
/// libtorch loaded), so what it says is what a run gets here; it writes nothing over MKL's code (it only checks).
/// </summary>
public static class Doctor
{
    public static IReadOnlyList<string> Lines(ConfigNode config)
    {
        var settings = PlatformSettings.From(config);
        var lines = new List<string>();
        var glibcxx = GlibcxxRequirement.Ensure(settings.Glibcxx);
        lines.Add($"glibcxx: {Word(glibcxx.Verdict)} — {glibcxx.Reason}");
        lines.Add($"mallopt: {Mallopt(settings.Mallopt)}");
        var mkl = settings.MklDispatch ? MklCpuDispatch.Inspect() : MklCpuDispatch.Outcome.Off;
        string mklState = mkl switch { MklCpuDispatch.Outcome.Enabled => "applies", MklCpuDispatch.Outcome.Off => "off", _ when MklCpuDispatch.Refused(mkl) => "refused", _ => "not needed" };
        lines.Add($"mkl_dispatch: {mklState} — {MklCpuDispatch.Explain(mkl)}");
        lines.Add($"thread_governor: {Governor(config)}");
        lines.Add($"crash_points: {CrashPoints()}");
        return lines;
    }

    static string Word(GlibcxxRequirement.Verdict verdict) => verdict switch
    {
        GlibcxxRequirement.Verdict.Weakened or GlibcxxRequirement.Verdict.AlreadyWeak => "applies",
        GlibcxxRequirement.Verdict.Provided or GlibcxxRequirement.Verdict.NotApplicable => "not needed",
        GlibcxxRequirement.Verdict.NeededButOff => "off",
        _ => "refused",
    };

    static string Mallopt(bool enabled)
    {
        bool applied = enabled && NativeAllocator.Configure();
        string probe = NativeAllocator.LargeBlocksFromHeap() switch
        {
            true => "an 8 MB block comes from the heap",
            false => "an 8 MB block is mmapped (and page-faulted afresh at each allocation)",
            null => "not glibc's malloc",
        };
        string user = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { } v ? $", MALLOC_MMAP_THRESHOLD_={v} kept" : "";
        return !enabled ? $"off — loom.platform.mallopt: false, glibc's thresholds: {probe}"
            : applied ? $"applies — mmap threshold {NativeAllocator.MmapThreshold >> 20} MB, trim {NativeAllocator.TrimThreshold >> 20} MB{user}: {probe}"
            : $"not needed — {probe}";
    }

    static string Governor(ConfigNode config)
    {
        bool adaptive = !config.TryGet<bool>("adaptive_threads", out var a) || a;
        if (!adaptive) return "off — adaptive_threads: false, libtorch keeps `threads` whatever else runs";
        var sample = CpuUsage.Read();
        if (sample is null) return "not needed — no Linux /proc/stat to read the load from";
        // /proc/stat counts every CPU of the host, also in a container limited to fewer: the load the governor sees
        // then includes other containers' work.
        string scope = sample.Value.Cpus > Environment.ProcessorCount
            ? $"; /proc/stat counts {sample.Value.Cpus} CPUs of the host while this process may use {Environment.ProcessorCount} (a container or CPU quota): other tenants' load counts too"
            : "";
        return $"applies — adaptive_threads: true, single-process runs use fewer threads while other processes keep cores busy{scope}";
    }

    static string CrashPoints() => Environment.GetEnvironmentVariable(CrashPoint.Variable) is { Length: > 0 } at
        ? $"ON — {CrashPoint.Variable}={at}: this process kills itself (SIGKILL) there; a test-only variable, unset it for real runs"
        : $"off — {CrashPoint.Variable} unset (a test-only variable; the former LOOM_CRASH_AT is ignored)";
}
