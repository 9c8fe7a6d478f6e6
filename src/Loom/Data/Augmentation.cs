namespace Loom.Data;

/// <summary>
/// The random transforms of `data.augment` applied to one image's bytes (C planes of H×W), before normalization as
/// in torchvision (RandomCrop pads with black, value 0, in pixel space). The draws of a sample come from SplitMix64
/// seeded with a hash of (seed, epoch, sample index) and from nothing else — no generator state carried from one
/// sample or batch to the next — so a batch is the same whichever thread gathers it, an epoch redone after a crash
/// or resumed mid-way is the same epoch, and data-parallel ranks draw for their samples what one process draws.
/// Written by hand (not torchvision's transforms) because that purity is the point: a generator per worker, as
/// PyTorch's DataLoader has, makes the draws depend on which worker took which batch.
/// </summary>
public sealed class Augmentation(AugmentSettings settings, int channels, int height, int width)
{
    readonly int padding = settings.CropPadding;
    readonly bool flip = settings.Flip;

    public int ImageSize => channels * height * width;

    /// <summary>The draws of sample <paramref name="index"/> in <paramref name="epoch"/>: crop offsets in [0, 2·padding] and the flip.</summary>
    public (int Dy, int Dx, bool Flip) Draw(long seed, int epoch, long index)
    {
        ulong state = Mix(Mix(Mix(unchecked((ulong)seed)) ^ unchecked((ulong)epoch)) ^ unchecked((ulong)index));
        int span = 2 * padding + 1;
        int dy = padding > 0 ? (int)Math.BigMul(SeededShuffle.Next(ref state), (ulong)span, out _) : padding;
        int dx = padding > 0 ? (int)Math.BigMul(SeededShuffle.Next(ref state), (ulong)span, out _) : padding;
        bool flipped = flip && (SeededShuffle.Next(ref state) >> 63) != 0;
        return (dy, dx, flipped);
    }

    /// <summary>Writes <paramref name="source"/> transformed by the draws of (seed, epoch, index) into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> source, Span<byte> destination, long seed, int epoch, long index)
    {
        var (dy, dx, flipped) = Draw(seed, epoch, index);
        // Output pixel (y, x) reads padded pixel (y + dy, x + dx), i.e. source (y + dy − p, x + dx − p); zero outside.
        int oy = dy - padding, ox = dx - padding;
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            var from = source.Slice(c * plane, plane);
            var to = destination.Slice(c * plane, plane);
            for (int y = 0; y < height; y++)
            {
                var row = to.Slice(y * width, width);
                int sy = y + oy;
                if ((uint)sy >= (uint)height) { row.Clear(); continue; }
                var sourceRow = from.Slice(sy * width, width);
                for (int x = 0; x < width; x++)
                {
                    int sx = (flipped ? width - 1 - x : x) + ox;
                    row[x] = (uint)sx < (uint)width ? sourceRow[sx] : (byte)0;
                }
            }
        }
    }

    /// <summary>One SplitMix64 step as a hash (its finalizer after the golden-ratio increment).</summary>
    static ulong Mix(ulong value)
    {
        ulong state = value;
        return SeededShuffle.Next(ref state);
    }
}
