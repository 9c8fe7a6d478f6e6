using System.Runtime.InteropServices;

namespace Loom.Platform;

/// <summary>
/// Tunes glibc's malloc before libtorch allocates anything. By default glibc returns every freed block
/// above its mmap threshold (128 KB, raised only by frees of mmapped blocks ≤ 32 MB) to the kernel, so a
/// training step's activations are mmapped and page-faulted afresh every step: measured here, up to half
/// of a run spent in the kernel (docs/benchmarks.md). These are the values of PyTorch's performance guide's
/// `MALLOC_MMAP_THRESHOLD_`/`MALLOC_TRIM_THRESHOLD_` advice, applied with mallopt(3) so users need no
/// environment variable. A variable the user did set wins; on a non-glibc system this does nothing.
/// </summary>
public static class NativeAllocator
{
    const int M_TRIM_THRESHOLD = -1;
    const int M_MMAP_THRESHOLD = -3;
    public const int MmapThreshold = 32 * 1024 * 1024;   // the largest value glibc accepts (HEAP_MAX/2 on 64-bit)
    public const int TrimThreshold = 256 * 1024 * 1024;

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int Mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc")]
    static extern nint Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(nint block);

    /// <summary>The size <see cref="LargeBlocksFromHeap"/> allocates: under the raised threshold, far above glibc's default (128 KB).</summary>
    public const int ProbeSize = 8 * 1024 * 1024;

    /// <summary>
    /// What glibc does now with an 8 MB block: true when it comes from the heap (thresholds raised), false when it is
    /// mmapped (glibc's defaults); null where this is not glibc. glibc marks a chunk it mmapped with the IS_MMAPPED bit
    /// (2) of the size word just before the pointer. For `loom doctor`, once per process: freeing an mmapped block
    /// raises glibc's dynamic threshold, so a second probe would read the heap.
    /// </summary>
    public static bool? LargeBlocksFromHeap()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            nint block = Malloc(ProbeSize);
            if (block == 0) return null;
            bool mmapped = (Marshal.ReadInt64(block - 8) & 2) != 0;
            Free(block);
            return !mmapped;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>True when mallopt accepted both settings (or the user's variables are kept).</summary>
    public static bool Configure()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            bool ok = true;
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null) ok &= Mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1;
            if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is null) ok &= Mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1;
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no mallopt): nothing to tune
        }
    }
}
