using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Loom.App;

/// <summary>
/// libtorch's allocator refusing a tensor ("DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes",
/// or CUDA's "out of memory") is a model or a batch beyond this machine's memory, not a bug: one line with the size
/// asked and the memory there is, naming the keys that set it, instead of libtorch's forty frames of C++ stack.
/// </summary>
public static partial class NativeOutOfMemory
{
    [GeneratedRegex(@"can't allocate memory: you tried to allocate (\d+) bytes")]
    private static partial Regex CpuPattern();

    [GeneratedRegex(@"CUDA out of memory\. Tried to allocate ([0-9.]+ [KMGT]iB)")]
    private static partial Regex CudaPattern();

    public static bool Is(Exception e) => e is ExternalException && (CpuPattern().IsMatch(e.Message) || CudaPattern().IsMatch(e.Message));

    /// <summary>The one line for an allocation failure, or null when <paramref name="e"/> is not one.</summary>
    public static string? Describe(Exception e)
    {
        if (e is not ExternalException) return null;
        string? asked = CpuPattern().Match(e.Message) is { Success: true } cpu ? Gib(double.Parse(cpu.Groups[1].Value, CultureInfo.InvariantCulture)) + " of memory"
            : CudaPattern().Match(e.Message) is { Success: true } cuda ? cuda.Groups[1].Value + " of GPU memory" : null;
        if (asked is null) return null;
        string there = Gib(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes); // honours a cgroup's limit
        return $"out of memory: libtorch could not allocate {asked} for one tensor (this machine has {there}); the model (model.*) or batch_size is too large for it";
    }

    static string Gib(double bytes) => (bytes / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
}
