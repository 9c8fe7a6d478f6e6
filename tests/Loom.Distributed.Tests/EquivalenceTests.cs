using Xunit.Abstractions;

namespace Loom.Distributed.Tests;

/// <summary>
/// "Same theory as one process": K optimizer steps with W ranks × B/W samples end with the parameters of K
/// steps with one process × B samples, within float32 rounding (the ranks start from different weights; the
/// broadcast from rank 0 must make them equal). The sums of the per-sample gradients are formed in another
/// order, so the parameters differ in the last bits: measured 3e-8 to 7.5e-8 (1–2 ulp of weights of order 0.3); the
/// bound is 1e-6.
/// </summary>
[Collection("mpi")]
public sealed class EquivalenceTests(ITestOutputHelper output)
{
    const int Steps = 8, Batch = 12;
    const float Tolerance = 1e-6f;

    [Theory]
    [InlineData("sgd", 1, 2)]
    [InlineData("adam", 1, 2)]
    [InlineData("sgd", 3, 2)]
    [InlineData("adam", 3, 2)]
    [InlineData("sgd", 1, 3)]
    [InlineData("adam", 3, 3)]
    [InlineData("sgd", 3, 2, true)]
    [InlineData("adam", 1, 3, true)]
    public void Ranks_times_shards_equal_one_process_times_the_whole_batch(string optimizer, int accumulate, int ranks, bool lossDivided = false)
    {
        float[] single = Train(Alone, 1, optimizer, accumulate);
        float[] parallel = Train(RankProgram.Mpirun, ranks, optimizer, accumulate, lossDivided: lossDivided);
        Assert.Equal(single.Length, parallel.Length);
        float maxDiff = single.Zip(parallel, (a, b) => Math.Abs(a - b)).Max();
        float maxAbs = single.Max(Math.Abs);
        output.WriteLine($"{optimizer} accumulate={accumulate} ranks={ranks} lossDivided={lossDivided}: max |Δ| = {maxDiff:E2} over {single.Length} parameters (max |w| = {maxAbs:F3})");
        Assert.True(maxDiff <= Tolerance, $"max |Δ| = {maxDiff:E2} > {Tolerance:E0}");
        // The run really trained: the parameters moved away from rank 0's initial ones in a way a wrong
        // average (e.g. a sum without ÷ W) would not reproduce.
        Assert.NotEqual(0f, maxAbs);
    }

    [Fact]
    public void A_missing_average_would_be_caught()
    {
        // The comparison above can fail: one process with batch B/2 (half the data) ends elsewhere.
        float[] whole = Train(Alone, 1, "sgd", 1);
        float[] half = Train(Alone, 1, "sgd", 1, batch: Batch / 2);
        float maxDiff = whole.Zip(half, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"batch {Batch} vs {Batch / 2}: max |Δ| = {maxDiff:E2}");
        Assert.True(maxDiff > 100 * Tolerance, $"max |Δ| = {maxDiff:E2}");
    }

    static System.Diagnostics.ProcessStartInfo Alone(int ranks, string[] args) => RankProgram.Alone(args);

    float[] Train(Func<int, string[], System.Diagnostics.ProcessStartInfo> start, int ranks, string optimizer, int accumulate, int batch = Batch, bool lossDivided = false)
    {
        string file = Path.Combine(Path.GetTempPath(), $"loom-dp-{Guid.NewGuid():N}.bin");
        try
        {
            var result = RankProgram.Run(start(ranks, ["train", optimizer, Steps.ToString(), batch.ToString(), accumulate.ToString(), file, lossDivided ? "divided" : "mean"]));
            Assert.True(result.ExitCode == 0, result.Output);
            for (int r = 0; r < ranks; r++) Assert.Equal("0", result.Value(r, "reattached"));
            byte[] bytes = File.ReadAllBytes(file);
            var values = new float[bytes.Length / sizeof(float)];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
