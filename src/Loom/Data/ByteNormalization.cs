using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Loom.Data;

/// <summary>
/// How image bytes become normalized floats, ((v / 255) − mean[c]) / std[c] per channel, bit-identical to libtorch
/// normalizing the float tensor: through the 256-entry table per channel that libtorch computes
/// (<see cref="ImageTensors.LookupTable"/>), or, on CPUs with AVX-512, with the same arithmetic 16 bytes at a time
/// — but only after the vector code has reproduced every entry of the table bit for bit (checked once here; else
/// the table is used). Why: gathering a batch of 32 Fashion-MNIST images took 104 µs with the table, 48 with
/// this code, of a ~700 µs MLP step (docs/benchmarks.md).
/// </summary>
public sealed class ByteNormalization
{
    readonly float[] table;
    readonly float[] mean, std;

    /// <summary>True when batches are normalized by the vector code (it matched the table exactly).</summary>
    public bool IsVectorized { get; }

    public ByteNormalization(float[] mean, float[] std)
    {
        if (mean.Length != std.Length) throw new ArgumentException($"{mean.Length} means for {std.Length} stds");
        (this.mean, this.std) = (mean, std);
        table = ImageTensors.LookupTable(mean, std);
        IsVectorized = Avx512F.IsSupported && VectorMatchesTable();
    }

    public int Channels => mean.Length;

    /// <summary>Writes <paramref name="image"/> (C planes of <paramref name="plane"/> bytes) normalized into <paramref name="destination"/>.</summary>
    /// <remarks>Optimized from its first call: each call's loop is too short for on-stack replacement, so tiered
    /// compilation would run it as unoptimized Tier-0 code for the first second or so of training.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<byte> image, Span<float> destination, int plane)
    {
        if (image.Length != plane * Channels || destination.Length < image.Length)
            throw new ArgumentException($"{image.Length} bytes into {destination.Length} floats for {Channels} planes of {plane}");
        ref byte from = ref MemoryMarshal.GetReference(image);
        ref float to = ref MemoryMarshal.GetReference(destination);
        for (int c = 0, o = 0; c < Channels; c++, o += plane)
        {
            int p = o;
            if (IsVectorized) p = ApplyVector(ref from, ref to, o, o + plane, c);
            // Unchecked element access (the lengths are checked above, and a byte indexes a 256-entry row): with bounds
            // checks the lookup cost ~100 µs per batch of 32 images, a tenth of a small MLP's whole step.
            ref float row = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(table), c * 256);
            for (; p < o + plane; p++) Unsafe.Add(ref to, p) = Unsafe.Add(ref row, Unsafe.Add(ref from, p));
        }
    }

    /// <summary>Elements [start, end) of channel <paramref name="c"/>, 16 at a time; returns where the scalar tail starts.
    /// The operations are libtorch's, in its order: to float, ÷ 255, − mean, ÷ std (true divisions: with
    /// multiplications by reciprocals 68–135 of Fashion-MNIST's 256 levels differ in the last bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int ApplyVector(ref byte from, ref float to, int start, int end, int c)
    {
        var levels = Vector512.Create(255f);
        var m = Vector512.Create(mean[c]);
        var s = Vector512.Create(std[c]);
        int p = start;
        for (; p + 16 <= end; p += 16)
        {
            var bytes = Vector128.LoadUnsafe(ref from, (nuint)p);
            var x = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes));
            ((x / levels - m) / s).StoreUnsafe(ref to, (nuint)p);
        }
        return p;
    }

    /// <summary>Runs the vector code over the 256 levels of every channel and compares with the table, bit for bit.</summary>
    bool VectorMatchesTable()
    {
        var levels = new byte[256];
        for (int v = 0; v < 256; v++) levels[v] = (byte)v;
        var values = new float[256];
        for (int c = 0; c < Channels; c++)
        {
            int done = ApplyVector(ref levels[0], ref values[0], 0, 256, c);
            for (int v = 0; v < done; v++)
                if (BitConverter.SingleToInt32Bits(values[v]) != BitConverter.SingleToInt32Bits(table[c * 256 + v])) return false;
        }
        return true;
    }
}
