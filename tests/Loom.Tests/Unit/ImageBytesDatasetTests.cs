using Loom.Data;
using static TorchSharp.torch;

namespace Loom.Tests.Unit;

/// <summary>
/// Batches normalized by ImageBytesDataset (vector code or table lookup) are bit-identical to normalizing the whole
/// float tensor with libtorch's operations, as Loom did before: same training, bit for bit.
/// </summary>
public sealed class ImageBytesDatasetTests
{
    /// <summary>The former path: bytes → float → ÷ 255 → (x − mean) / std over the whole tensor.</summary>
    static Tensor Reference(byte[] pixels, long[] shape, float[] mean, float[] std)
    {
        using var bytes = tensor(pixels, dtype: ScalarType.Byte);
        using var kept = bytes.narrow(0, 0, shape.Aggregate(1L, (a, b) => a * b)).reshape(shape);
        var images = kept.to_type(ScalarType.Float32).div_(255f);
        ImageTensors.NormalizeInPlace(images, mean, std);
        return images;
    }

    /// <summary>Same shape and every element equal (float ==: bit-identical for the finite values here).</summary>
    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static void AssertBitIdentical(byte[] pixels, long[] shape, float[] mean, float[] std)
    {
        using var expected = Reference(pixels, shape, mean, std);
        int n = (int)shape[0];
        using var data = new ImageBytesDataset(pixels, shape[1..], new ByteNormalization(mean, std), zeros(n, dtype: ScalarType.Int64));
        using var all = data.Slice(0, n);
        Assert.True(Same(expected, all.Input), "a slice differs from the reference normalization");
        using var indices = randperm(n, generator: new Generator(7)).narrow(0, 0, Math.Min(n, 97));
        using var gathered = data.Gather(indices);
        using var reference = expected.index_select(0, indices);
        Assert.True(Same(reference, gathered.Input), "a gathered batch differs from the reference normalization");
        using var part = data.Subset(n / 2, n - n / 2);
        using var tail = part.Slice(0, 5);
        using var referenceTail = expected.narrow(0, n / 2, 5);
        Assert.True(Same(referenceTail, tail.Input), "a subset is not offset right");
    }

    [Fact]
    public void FashionMnistTestSetMatchesTheFloatTensorPath()
    {
        var plan = DataFactory.Prepare(new DataSettings { Limit = 10000 });
        AssertBitIdentical(plan.Raw.TestPixels.ToArray(), [10000, 1, 28, 28], plan.Mean, plan.Std);
    }

    [Fact]
    public void ThreeChannelImagesUseEachChannelsTable()
    {
        var random = new Random(3);
        var pixels = new byte[50 * 3 * 8 * 8];
        random.NextBytes(pixels);
        AssertBitIdentical(pixels, [50, 3, 8, 8], [0.49f, 0.48f, 0.45f], [0.25f, 0.24f, 0.26f]);
    }

    [Fact]
    public void PlanesThatAreNotMultiplesOfSixteenEndInTheTable()
    {
        var random = new Random(4);
        var pixels = new byte[40 * 3 * 5 * 5]; // 25 bytes per plane: 16 by the vector code, 9 by the table
        random.NextBytes(pixels);
        AssertBitIdentical(pixels, [40, 3, 5, 5], [0.2f, 0.5f, 0.7f], [0.3f, 0.1f, 0.2f]);
    }

    /// <summary>The vector code must be what runs where it can (the check against the table must not fail silently):
    /// for Fashion-MNIST's statistics and for ImageNet's, on any CPU with AVX-512.</summary>
    [Fact]
    public void TheVectorCodeRunsOnCpusWithAvx512()
    {
        var plan = DataFactory.Prepare(new DataSettings { Limit = 1000 });
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, new ByteNormalization(plan.Mean, plan.Std).IsVectorized);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            new ByteNormalization([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]).IsVectorized);
    }

    [Fact]
    public void StatisticsDoNotDependOnHowTheWorkIsSplit()
    {
        var random = new Random(5);
        var pixels = new byte[5000 * 3 * 4 * 4];
        random.NextBytes(pixels);
        var (mean, std) = ImageTensors.ChannelStatistics(pixels, 5000, 3, 16);
        // Straight from the definition, in double.
        for (int c = 0; c < 3; c++)
        {
            var values = Enumerable.Range(0, 5000).SelectMany(i => pixels.Skip((i * 3 + c) * 16).Take(16)).Select(v => v / 255.0).ToArray();
            double m = values.Average();
            double s = Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1));
            Assert.Equal(m, mean[c], 5);
            Assert.Equal(s, std[c], 5);
        }
    }
}
