using Loom.Config;

namespace Loom.Platform;

/// <summary>
/// `loom.platform`: one switch per process-wide tweak Loom makes to the machine it runs on (docs/library.md,
/// "Platform tweaks"; `loom doctor` says which apply here and why). All on by default, as before the section
/// existed; under `loom.*`, so excluded from the XP signature. The thread governor keeps its own key,
/// `adaptive_threads`, and the crash points of the kill tests are driven by `LOOM_TEST_ONLY_SIGKILL_AT` alone.
/// </summary>
public sealed record PlatformSettings
{
    public const string Section = "loom.platform";

    /// <summary>Weaken libLibTorchSharp.so's marker-only libstdc++ requirement where this machine lacks the version (<see cref="GlibcxxRequirement"/>).</summary>
    public bool Glibcxx { get; init; } = true;
    /// <summary>Raise glibc's mmap and trim thresholds before libtorch allocates (<see cref="NativeAllocator"/>).</summary>
    public bool Mallopt { get; init; } = true;
    /// <summary>Let MKL pick its AVX-512 kernels on AMD CPUs that have them (<see cref="MklCpuDispatch"/>).</summary>
    public bool MklDispatch { get; init; } = true;

    /// <summary>The config's `loom.platform` section, or the defaults when it has none.</summary>
    public static PlatformSettings From(ConfigNode config) => config.Has(Section) ? config.Bind<PlatformSettings>(Section) : new();
}
