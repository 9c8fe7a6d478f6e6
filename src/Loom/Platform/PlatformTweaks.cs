using Loom.Logging;

namespace Loom.Platform;

/// <summary>
/// The one place that applies the platform tweaks of <see cref="PlatformSettings"/>, in the order they need:
/// <see cref="BeforeTorch"/> (the libstdc++ requirement, glibc's malloc thresholds) before anything touches
/// TorchSharp, then <see cref="LoadTorch"/> (loads libtorch, overrides MKL's vendor dispatch before its first
/// matrix product). `XpRun` calls both; a program that drives `Trainer` itself calls them first thing.
/// A tweak that was meant to apply here but refuses says so in one warning line and stays off.
/// </summary>
public static class PlatformTweaks
{
    public static void BeforeTorch(PlatformSettings settings, Logger? log = null)
    {
        var glibcxx = GlibcxxRequirement.Ensure(settings.Glibcxx);
        if (glibcxx.Verdict is GlibcxxRequirement.Verdict.Refused or GlibcxxRequirement.Verdict.Failed or GlibcxxRequirement.Verdict.NeededButOff)
            Warn(log, $"glibcxx: {glibcxx.Reason}");
        if (settings.Mallopt) NativeAllocator.Configure();
    }

    public static MklCpuDispatch.Outcome LoadTorch(PlatformSettings settings, Logger? log = null)
    {
        var mkl = MklCpuDispatch.Configure(settings.MklDispatch);
        if (MklCpuDispatch.Refused(mkl)) Warn(log, $"mkl_dispatch: {MklCpuDispatch.Explain(mkl)}");
        return mkl;
    }

    static void Warn(Logger? log, string line)
    {
        if (log is not null) log.Warning(line);
        else Console.Error.WriteLine($"warning: {line}");
    }
}
