using static TorchSharp.torch;

namespace Loom.Data;

/// <summary>Turns raw pixel bytes into normalized float tensors.</summary>
public static class ImageTensors
{
    /// <summary>The first shape[0] images of <paramref name="pixels"/> (N×C×H×W bytes) → float32 in [0, 1]
    /// (divided by 255, as torchvision's ToTensor). Only the kept images are converted: no slice copy.</summary>
    public static Tensor FromBytes(byte[] pixels, long[] shape)
    {
        long perImage = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        using var all = tensor(pixels, dtype: ScalarType.Byte);
        using var kept = all.narrow(0, 0, shape[0] * perImage).reshape(shape);
        return kept.to_type(ScalarType.Float32).div_(255f);
    }

    /// <summary>
    /// Per-channel mean and (unbiased) std of the first <paramref name="count"/> images, in [0, 1] units,
    /// computed exactly from a histogram of the byte values: one pass over the bytes, no float64 copy of the
    /// data set (which cost 0.2 s and 376 MB for Fashion-MNIST), and independent of summation order.
    /// </summary>
    public static (float[] Mean, float[] Std) ChannelStatistics(byte[] pixels, int count, int channels, int pixelsPerChannel)
    {
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            var histogram = new long[256];
            for (int i = 0; i < count; i++)
                foreach (byte v in pixels.AsSpan((i * channels + c) * pixelsPerChannel, pixelsPerChannel)) histogram[v]++;
            double n = (double)count * pixelsPerChannel, sum = 0, sumSquares = 0;
            for (int v = 0; v < 256; v++)
            {
                double x = v / 255.0;
                sum += histogram[v] * x;
                sumSquares += histogram[v] * x * x;
            }
            double m = sum / n;
            mean[c] = (float)m;
            std[c] = (float)Math.Sqrt(Math.Max(0, (sumSquares - n * m * m) / Math.Max(1, n - 1)));
        }
        return (mean, std);
    }

    public static void NormalizeInPlace(Tensor images, float[] mean, float[] std)
    {
        using var m = tensor(mean).reshape(1, mean.Length, 1, 1);
        using var s = tensor(std).reshape(1, std.Length, 1, 1);
        images.sub_(m).div_(s);
    }
}
