using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Nn;

/// <summary>
/// The argmax of every 2×2 window (stride 2) of contiguous N×C×H×W floats, as the flat index within its H×W
/// plane — what libtorch's <c>max_pool2d_with_indices</c> returns, with its rule exactly: the first maximum in
/// the window's row-major order wins, a NaN wins over any number and the last NaN over an earlier one.
/// Written by hand because libtorch's own NCHW max-pool kernel decides each element with a data-dependent
/// branch (mispredicted about half the time on activations) and was a fifth of the small CNN's CPU time;
/// composing the same from libtorch ops takes eight passes over int64 tensors. This loop decides with SSE
/// compares and selects, four windows at a time. Single-threaded: it is several times faster than the
/// two-thread kernel it replaces.
/// </summary>
static class MaxPool2x2Kernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ArgMax(ReadOnlySpan<float> input, Span<long> indices, int planes, int height, int width)
    {
        int outHeight = height / 2, outWidth = width / 2;
        if ((long)planes * height * width > input.Length || (long)planes * outHeight * outWidth > indices.Length)
            throw new ArgumentException($"{planes} planes of {height}×{width} do not fit the spans given");
        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(input);
        int o = 0;
        for (int p = 0; p < planes; p++)
        {
            int plane = p * height * width;
            for (int oh = 0; oh < outHeight; oh++)
            {
                int rowStart = 2 * oh * width; // index of the window row's first element in the plane
                ref float top = ref Unsafe.Add(ref x, plane + rowStart);
                var row = indices.Slice(o, outWidth);
                o += outWidth;
                if (Sse.IsSupported && outWidth >= 4)
                    // Groups of four; the last one ends at the row's end, overlapping its predecessor when the width
                    // is not a multiple of four (those windows are decided twice, alike): no scalar tail.
                    for (int ow = 0; ow < outWidth; ow += 4)
                    {
                        int first = Math.Min(ow, outWidth - 4);
                        FourWindows(ref Unsafe.Add(ref top, 2 * first), width, rowStart + 2 * first, row.Slice(first, 4));
                    }
                else
                    for (int ow = 0; ow < outWidth; ow++)
                        row[ow] = rowStart + 2 * ow + OneWindow(ref Unsafe.Add(ref top, 2 * ow), width);
            }
        }
    }

    /// <summary>The offset of the max of the window at <paramref name="a"/> (0, 1, width or width + 1).</summary>
    static int OneWindow(ref float a, int width)
    {
        float va = a, vb = Unsafe.Add(ref a, 1), vc = Unsafe.Add(ref a, width), vd = Unsafe.Add(ref a, width + 1);
        int topRight = Wins(vb, va) ? 1 : 0, bottomRight = Wins(vd, vc) ? 1 : 0;
        // Max, not a select: the same decision below (NaN if either is NaN), and no branch to mispredict.
        int bottom = Wins(MathF.Max(vc, vd), MathF.Max(va, vb)) ? 1 : 0;
        return topRight + bottom * (width + bottomRight - topRight);
    }

    /// <summary>Whether a later element replaces the current max (libtorch's rule).</summary>
    static bool Wins(float later, float current) => later > current | float.IsNaN(later);

    /// <summary>Four adjacent windows: their top rows are the 8 floats at <paramref name="a"/>, bottom rows <paramref name="width"/> further.</summary>
    static void FourWindows(ref float a, int width, int firstIndex, Span<long> destination)
    {
        Vector128<float> top0 = Vector128.LoadUnsafe(ref a), top1 = Vector128.LoadUnsafe(ref a, 4);
        Vector128<float> bottom0 = Vector128.LoadUnsafe(ref a, (nuint)width), bottom1 = Vector128.LoadUnsafe(ref a, (nuint)width + 4);
        // Even lanes are the windows' left columns, odd lanes their right columns.
        var topLeft = Sse.Shuffle(top0, top1, 0b10_00_10_00);
        var topRight = Sse.Shuffle(top0, top1, 0b11_01_11_01);
        var bottomLeft = Sse.Shuffle(bottom0, bottom1, 0b10_00_10_00);
        var bottomRight = Sse.Shuffle(bottom0, bottom1, 0b11_01_11_01);
        var rightWinsTop = Wins(topRight, topLeft);
        var rightWinsBottom = Wins(bottomRight, bottomLeft);
        var topMax = Vector128.ConditionalSelect(rightWinsTop, topRight, topLeft);
        var bottomMax = Vector128.ConditionalSelect(rightWinsBottom, bottomRight, bottomLeft);
        var one = Vector128<int>.One;
        var topOffset = rightWinsTop.AsInt32() & one;
        var bottomOffset = (rightWinsBottom.AsInt32() & one) + Vector128.Create(width);
        var offset = Vector128.ConditionalSelect(Wins(bottomMax, topMax).AsInt32(), bottomOffset, topOffset)
                     + Vector128.Create(firstIndex, firstIndex + 2, firstIndex + 4, firstIndex + 6);
        var (low, high) = Vector128.Widen(offset);
        low.CopyTo(destination);
        high.CopyTo(destination[2..]);
    }

    static Vector128<float> Wins(Vector128<float> later, Vector128<float> current) =>
        Sse.CompareGreaterThan(later, current) | Sse.CompareUnordered(later, later);
}
