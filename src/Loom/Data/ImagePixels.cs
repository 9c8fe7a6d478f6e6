namespace Loom.Data;

/// <summary>
/// The N×C×H×W bytes of a split, wherever they live: an array in memory (any <c>byte[]</c> converts to one), a
/// memory-mapped cache file (`data.stream`, <see cref="Folder.MappedPixels"/>), or a reordering of either (the
/// validation split's shuffle, <see cref="Permuted"/>, which copies nothing). Reads are thread-safe (the loader's
/// workers gather side by side). The data sets that read a store count their references; the last one to go
/// releases it (unmaps the file).
/// </summary>
public abstract class ImagePixels
{
    int references;

    /// <summary>The number of bytes.</summary>
    public abstract long Length { get; }

    /// <summary>Bytes [start, start+length), which lie within one image (a permuted store keeps images, not bytes, in order).</summary>
    public abstract ReadOnlySpan<byte> AsSpan(long start, int length);

    /// <summary>All the bytes in a new array (for small sets and tests: a streamed set may not fit).</summary>
    public virtual byte[] ToArray()
    {
        if (Length > Array.MaxLength) throw new InvalidOperationException($"{Length} bytes do not fit in one array");
        var bytes = new byte[Length];
        const int chunk = 1 << 20;
        for (long at = 0; at < Length; at += chunk)
        {
            int n = (int)Math.Min(chunk, Length - at);
            CopyTo(at, bytes.AsSpan((int)at, n));
        }
        return bytes;
    }

    /// <summary>Copies bytes from <paramref name="start"/> into <paramref name="destination"/>; a permuted store does it image by image.</summary>
    protected virtual void CopyTo(long start, Span<byte> destination) => AsSpan(start, destination.Length).CopyTo(destination);

    /// <summary>The first <paramref name="order"/>.Length images in that order: image i is this store's image order[i].</summary>
    public ImagePixels Permuted(int[] order, int imageSize) => new PermutedPixels(this, order, imageSize);

    public static implicit operator ImagePixels(byte[] bytes) => new ArrayPixels(bytes);

    /// <summary>A data set starts reading this store.</summary>
    internal void Retain() => Interlocked.Increment(ref references);

    /// <summary>A data set is done with this store; the last one frees it.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref references) == 0) Free();
    }

    /// <summary>What the store holds beyond managed memory (a mapping), given back.</summary>
    protected virtual void Free() { }

    sealed class ArrayPixels(byte[] bytes) : ImagePixels
    {
        public override long Length => bytes.LongLength;
        public override ReadOnlySpan<byte> AsSpan(long start, int length) => bytes.AsSpan(checked((int)start), length);
        public override byte[] ToArray() => (byte[])bytes.Clone();
    }

    sealed class PermutedPixels : ImagePixels
    {
        readonly ImagePixels source;
        readonly int[] order;
        readonly int imageSize;

        public PermutedPixels(ImagePixels source, int[] order, int imageSize)
        {
            if ((long)order.Length * imageSize > source.Length)
                throw new ArgumentException($"{order.Length} images of {imageSize} bytes from a store of {source.Length}");
            (this.source, this.order, this.imageSize) = (source, order, imageSize);
            source.Retain();
        }

        public override long Length => (long)order.Length * imageSize;

        public override ReadOnlySpan<byte> AsSpan(long start, int length)
        {
            long image = start / imageSize;
            int within = (int)(start % imageSize);
            if (within + length > imageSize) throw new ArgumentOutOfRangeException(nameof(length), $"bytes [{start}, {start + length}) span more than one image of {imageSize}");
            return source.AsSpan((long)order[image] * imageSize + within, length);
        }

        protected override void CopyTo(long start, Span<byte> destination)
        {
            while (destination.Length > 0)
            {
                int n = Math.Min(destination.Length, imageSize - (int)(start % imageSize));
                AsSpan(start, n).CopyTo(destination);
                start += n;
                destination = destination[n..];
            }
        }

        protected override void Free() => source.Release();
    }
}
