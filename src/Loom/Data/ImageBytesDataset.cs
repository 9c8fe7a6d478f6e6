using System.Runtime.InteropServices;
using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>
/// Images kept as their bytes (N×C×H×W) and normalized when a batch is taken (<see cref="ByteNormalization"/>), as
/// torchvision's ToTensor + Normalize do per sample. Why not
/// one float tensor of the whole set: for Fashion-MNIST that is 188 MB written (and page-faulted) before the first
/// step — 0.1 s of start-up and a quarter of the process's memory — where a batch costs a 25k-element lookup.
/// The values are bit-identical to normalizing the float tensor.
/// </summary>
public sealed class ImageBytesDataset : IDataset
{
    readonly byte[] pixels;
    readonly int first;
    readonly long[] imageShape;
    readonly int imageSize;
    readonly ByteNormalization normalization;
    readonly Tensor labels;

    /// <param name="pixels">N×C×H×W bytes (more images may follow: only <paramref name="labels"/>' count is used).</param>
    /// <param name="imageShape">C, H, W.</param>
    /// <param name="normalization">Per-channel mean and std, C of them.</param>
    /// <param name="labels">int64 targets, one per image; the data set owns it.</param>
    public ImageBytesDataset(byte[] pixels, long[] imageShape, ByteNormalization normalization, Tensor labels) : this(pixels, 0, imageShape, normalization, labels) { }

    ImageBytesDataset(byte[] pixels, int first, long[] imageShape, ByteNormalization normalization, Tensor labels)
    {
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

    public Batch Slice(int start, int length)
    {
        var images = NewBatch(length, out var target);
        for (int b = 0; b < length; b++) Normalize(start + b, target.Slice(b * imageSize, imageSize));
        return new Batch(images, labels.narrow(0, start, length));
    }

    /// <summary>Images [start, start+length) as a data set sharing the bytes (a validation split).</summary>
    public ImageBytesDataset Subset(int start, int length) => new(pixels, first + start, imageShape, normalization, labels.narrow(0, start, length));

    Tensor NewBatch(int count, out Span<float> target)
    {
        var images = empty([count, .. imageShape], dtype: ScalarType.Float32);
        target = MemoryMarshal.Cast<byte, float>(images.bytes);
        return images;
    }

    /// <summary>Writes image <paramref name="index"/> of this set, normalized, into <paramref name="destination"/>.</summary>
    void Normalize(int index, Span<float> destination)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"image {index} of a data set of {Count}");
        normalization.Apply(pixels.AsSpan((first + index) * imageSize, imageSize), destination, imageSize / (int)imageShape[0]);
    }

    public void Dispose() => labels.Dispose();
}
