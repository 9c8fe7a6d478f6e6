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

    /// <summary>Per-channel mean and std of a N×C×H×W tensor, computed in float64 so the order of the sum does not matter.</summary>
    public static (float[] Mean, float[] Std) ChannelStatistics(Tensor images)
    {
        using var asDouble = images.to_type(ScalarType.Float64);
        using var mean = asDouble.mean([0, 2, 3]);
        using var std = asDouble.std([0, 2, 3]);
        return (mean.data<double>().Select(v => (float)v).ToArray(), std.data<double>().Select(v => (float)v).ToArray());
    }

    public static void NormalizeInPlace(Tensor images, float[] mean, float[] std)
    {
        using var m = tensor(mean).reshape(1, mean.Length, 1, 1);
        using var s = tensor(std).reshape(1, std.Length, 1, 1);
        images.sub_(m).div_(s);
    }
}
