using System.Runtime.InteropServices;
using Loom.Platform;

namespace Loom.App.Tests;

/// <summary>
/// Loom tunes glibc's malloc itself (no environment variable needed): mallopt must be reachable and accept
/// the thresholds, and a 1 MB block must then come from the heap instead of its own mmap — glibc's default
/// (mmap threshold 128 KB) maps and unmaps such a block on every allocation, and page-faults it afresh.
/// glibc marks a chunk it mmapped with the IS_MMAPPED bit (2) of the size word just before the pointer.
/// </summary>
public sealed class NativeAllocatorTests
{
    [DllImport("libc")] static extern IntPtr malloc(nuint size);
    [DllImport("libc")] static extern void free(IntPtr p);

    static bool IsMmapped(IntPtr p) => (Marshal.ReadInt64(p - 8) & 2) != 0;

    [Fact]
    public void MalloptIsAppliedAndLargeBlocksAreReusedInsteadOfMapped()
    {
        Assert.Null(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_")); // the test measures Loom's own setting
        Assert.True(NativeAllocator.Configure(), "mallopt refused the thresholds");
        var small = malloc(1 << 20);
        var large = malloc(64 << 20); // above the 32 MB threshold: mmapped, which shows the bit is read right
        try
        {
            Assert.False(IsMmapped(small), "a 1 MB block was mmapped: the threshold is not raised");
            Assert.True(IsMmapped(large), "a 64 MB block was not mmapped: the IS_MMAPPED check reads the wrong word");
        }
        finally
        {
            free(small);
            free(large);
        }
    }
}
