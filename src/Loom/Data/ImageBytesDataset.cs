using System.Runtime.InteropServices;
using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>
/// Images kept as their bytes (N×C×H×W) and normalized when a batch is taken (<see cref="ByteNormalization"/>), as
/// torchvision's ToTensor + Normalize do per sample. Why not
/// one float tensor of the whole set: for Fashion-MNIST that is 188 MB written (and page-faulted) before the first
/// step — 0.1 s of start-up and a quarter of the process's memory — where a batch costs a 25k-element lookup.
/// The values are bit-identical to normalizing the float tensor. With an <see cref="Augmentation"/> (the training
/// split), each image is cropped and flipped as drawn for (seed, epoch, index) before it is normalized.
/// Gathering is thread-safe (the loader's workers gather batches side by side). The bytes are an
/// <see cref="ImagePixels"/>: in memory, or mapped from the streamed cache (`data.stream`); the batches are the same.
/// </summary>
public sealed class ImageBytesDataset : IEpochDataset
{
    readonly ImagePixels pixels;
    readonly int first;
    readonly long[] imageShape;
    readonly int imageSize;
    readonly ByteNormalization normalization;
    readonly Tensor labels;
    readonly Augmentation? augmentation;

    /// <param name="pixels">N×C×H×W bytes (more images may follow: only <paramref name="labels"/>' count is used).</param>
    /// <param name="imageShape">C, H, W.</param>
    /// <param name="normalization">Per-channel mean and std, C of them.</param>
    /// <param name="labels">int64 targets, one per image; the data set owns it.</param>
    /// <param name="augmentation">The random transforms of the training batches (<see cref="Gather(Tensor, long, int)"/>); null = none.</param>
    public ImageBytesDataset(ImagePixels pixels, long[] imageShape, ByteNormalization normalization, Tensor labels, Augmentation? augmentation = null)
        : this(pixels, 0, imageShape, normalization, labels, augmentation) { }

    ImageBytesDataset(ImagePixels pixels, int first, long[] imageShape, ByteNormalization normalization, Tensor labels, Augmentation? augmentation)
    {
        this.augmentation = augmentation;
        if (augmentation is not null && augmentation.ImageSize != imageShape[0] * imageShape[1] * imageShape[2])
            throw new ArgumentException($"an augmentation of {augmentation.ImageSize}-byte images for images of shape {string.Join('x', imageShape)}");
        this.pixels = pixels;
        this.first = first;
        this.imageShape = imageShape;
        imageSize = (int)(imageShape[0] * imageShape[1] * imageShape[2]);
        this.normalization = normalization;
        if (normalization.Channels != imageShape[0])
            throw new ArgumentException($"a normalization of {normalization.Channels} channels for images of {imageShape[0]}");
        this.labels = labels;
        if ((long)(first + Count) * imageSize > pixels.Length)
            throw new ArgumentException($"{Count} images of {imageSize} bytes from image {first} need more than the {pixels.Length} bytes given");
        pixels.Retain();
    }

    public int Count => (int)labels.shape[0];

    public Batch Gather(Tensor indices)
    {
        using var contiguous = indices.contiguous();
        var rows = MemoryMarshal.Cast<byte, long>(contiguous.bytes);
        var images = NewBatch(rows.Length, out var target);
        for (int b = 0; b < rows.Length; b++) Normalize(checked((int)rows[b]), target.Slice(b * imageSize, imageSize));
        return new Batch(images, labels.index_select(0, indices));
    }

    /// <summary>The samples at <paramref name="indices"/>, augmented as drawn for (seed, epoch, index); without an augmentation, <see cref="Gather(Tensor)"/>.</summary>
    public Batch Gather(Tensor indices, long seed, int epoch)
    {
        if (augmentation is null) return Gather(indices);
        using var contiguous = indices.contiguous();
        var rows = MemoryMarshal.Cast<byte, long>(contiguous.bytes);
        var images = NewBatch(rows.Length, out var target);
        var scratch = new byte[imageSize];
        for (int b = 0; b < rows.Length; b++)
        {
            int index = checked((int)rows[b]);
            augmentation.Apply(ImageBytes(index), scratch, seed, epoch, index);
            normalization.Apply(scratch, target.Slice(b * imageSize, imageSize), imageSize / (int)imageShape[0]);
        }
        return new Batch(images, labels.index_select(0, indices));
    }

    public Batch Slice(int start, int length)
    {
        var images = NewBatch(length, out var target);
        for (int b = 0; b < length; b++) Normalize(start + b, target.Slice(b * imageSize, imageSize));
        return new Batch(images, labels.narrow(0, start, length));
    }

    /// <summary>Images [start, start+length) as a data set sharing the bytes (a validation split).</summary>
    public ImageBytesDataset Subset(int start, int length) => Subset(start, length, augmentation);

    /// <summary>Images [start, start+length) sharing the bytes, with <paramref name="augmentation"/> (the training split's).</summary>
    public ImageBytesDataset Subset(int start, int length, Augmentation? augmentation) =>
        new(pixels, first + start, imageShape, normalization, labels.narrow(0, start, length), augmentation);

    Tensor NewBatch(int count, out Span<float> target)
    {
        var images = empty([count, .. imageShape], dtype: ScalarType.Float32);
        target = MemoryMarshal.Cast<byte, float>(images.bytes);
        return images;
    }

    /// <summary>Writes image <paramref name="index"/> of this set, normalized, into <paramref name="destination"/>.</summary>
    void Normalize(int index, Span<float> destination) =>
        normalization.Apply(ImageBytes(index), destination, imageSize / (int)imageShape[0]);

    ReadOnlySpan<byte> ImageBytes(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"image {index} of a data set of {Count}");
        return pixels.AsSpan((long)(first + index) * imageSize, imageSize);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        labels.Dispose();
        pixels.Release();
    }

    bool disposed;
}
