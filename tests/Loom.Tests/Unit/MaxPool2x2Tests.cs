using Loom.Nn;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Loom.Tests.Unit;

/// <summary>
/// MaxPool2x2 against libtorch's max-pool, bit for bit: values, gradients and argmax indices, on inputs made to
/// stress the tie and NaN rules, on widths that take the 4-window SIMD path, the scalar path and both, and on
/// the inputs it leaves to libtorch.
/// </summary>
public sealed class MaxPool2x2Tests
{
    /// <summary>Every element's bits equal (tells −0 from +0 and compares NaNs too).</summary>
    static bool BitEqual(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype
        && (a.dtype == ScalarType.Float32
            ? a.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).SequenceEqual(b.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits))
            : a.eq(b).all().item<bool>());

    /// <summary>Activations as a ReLU network has them: many exact ties (zeros, a flat background, coarse values).</summary>
    static Tensor Activations(long[] shape, int seed)
    {
        var generator = new Generator((ulong)seed);
        var x = randn(shape, generator: generator).mul_(2).round_().div_(2).relu_(); // values on a 0.5 grid: ties everywhere
        x[.., .., ..2, ..] = tensor(0.75f); // a flat region, as a uniform image background gives
        return x;
    }

    static void AssertSameAsLibtorch(Tensor input)
    {
        using var upstream = randn(input.shape[0], input.shape[1], input.shape[2] / 2, input.shape[3] / 2, generator: new Generator(3));
        using var x1 = input.detach().clone().requires_grad_(true);
        using var x2 = input.detach().clone().requires_grad_(true);
        using var expected = F.max_pool2d(x1, 2);
        using var actual = new MaxPool2x2().forward(x2);
        Assert.True(BitEqual(expected.detach(), actual.detach()), "values differ from max_pool2d");
        expected.backward([upstream]);
        actual.backward([upstream]);
        Assert.True(BitEqual(x1.grad!, x2.grad!), "gradients differ from max_pool2d's");
    }

    [Theory]
    [InlineData(2, 3, 28, 28)] // 14 windows a row: four SIMD groups, the last overlapping the third
    [InlineData(2, 5, 14, 14)] // 7: two overlapping groups
    [InlineData(1, 2, 2, 2)]   // one window
    [InlineData(3, 1, 4, 16)]  // 8: two groups
    [InlineData(1, 4, 6, 6)]   // 3: the scalar path
    [InlineData(4, 2, 10, 18)] // 9: three groups, the last overlapping
    public void ValuesAndGradientsEqualLibtorchMaxPool(int n, int c, int h, int w)
    {
        using var x = Activations([n, c, h, w], seed: n * 1000 + c * 100 + h + w);
        AssertSameAsLibtorch(x);
        using var gaussian = randn([n, c, h, w], generator: new Generator(11)); // no ties, negatives
        AssertSameAsLibtorch(gaussian);
    }

    [Fact]
    public void ArgMaxFollowsLibtorchsRuleForTiesNaNsAndInfinities()
    {
        // Each 2×2 window (row-major a b / c d) on one row of windows; 12 windows take the SIMD path three times.
        float nan = float.NaN, inf = float.PositiveInfinity;
        float[][] windows =
        [
            [1, 1, 1, 1], [0, 2, 2, 0], [0, 0, 3, 3], [-inf, -inf, -inf, -inf],
            [nan, 5, 6, 7], [5, nan, 6, 7], [5, 6, nan, 7], [5, 6, 7, nan],
            [nan, nan, 1, 2], [1, 2, nan, nan], [-0f, 0f, 0f, -0f], [inf, inf, nan, 1],
            [2, 1, 1, 2], [-1, -2, -3, -1], [0, 0, 0, 1], [3, 3, 3, 4],
        ];
        int count = windows.Length;
        var data = new float[2 * 2 * count];
        for (int k = 0; k < count; k++)
        {
            data[2 * k] = windows[k][0]; data[2 * k + 1] = windows[k][1];
            data[2 * count + 2 * k] = windows[k][2]; data[2 * count + 2 * k + 1] = windows[k][3];
        }
        using var x = tensor(data).reshape(1, 1, 2, 2 * count);
        var (values, indices) = F.max_pool2d_with_indices(x, [2, 2]);
        using (values)
        using (indices)
        {
            using var actual = new MaxPool2x2().forward(x);
            Assert.True(BitEqual(values, actual), "values differ from max_pool2d's");
            var expectedIndices = indices.data<long>().ToArray();
            var kernelIndices = new long[count];
            Loom.Nn.MaxPool2x2Kernel.ArgMax(data.AsSpan(), kernelIndices, 1, 2, 2 * count);
            Assert.Equal(expectedIndices, kernelIndices); // 16 windows in a row: the SIMD path
            var single = new long[1];
            for (int k = 0; k < count; k++) // one window alone: the scalar path
            {
                Loom.Nn.MaxPool2x2Kernel.ArgMax(windows[k], single, 1, 2, 2);
                long expected = expectedIndices[k] - 2 * k; // the same window's offset in a 2×2 plane
                Assert.Equal(expected >= 2 * count ? expected - 2 * count + 2 : expected, single[0]);
            }
        }
        AssertSameAsLibtorch(x);
    }

    [Fact]
    public void LeavesWhatItDoesNotCoverToLibtorch()
    {
        using var odd = randn(2, 3, 7, 9);
        AssertSameAsLibtorch(odd); // floor mode drops the last row and column
        using var doubles = randn([2, 3, 8, 8], dtype: ScalarType.Float64);
        using var pooledDoubles = new MaxPool2x2().forward(doubles);
        using var expectedDoubles = F.max_pool2d(doubles, 2);
        Assert.True(BitEqual(expectedDoubles, pooledDoubles));
        using var wide = randn(2, 8, 8, 3);
        using var transposed = wide.permute(0, 3, 1, 2); // not contiguous
        using var pooled = new MaxPool2x2().forward(transposed);
        using var expected = F.max_pool2d(transposed, 2);
        Assert.True(BitEqual(expected, pooled));
    }

    [Fact]
    public void WithoutGradientsItRecordsNoGraph()
    {
        using var x = randn(2, 3, 8, 8).requires_grad_(true);
        using (no_grad())
        {
            using var y = new MaxPool2x2().forward(x);
            Assert.False(y.requires_grad);
            using var expected = F.max_pool2d(x, 2);
            Assert.True(BitEqual(expected, y));
        }
    }
}
