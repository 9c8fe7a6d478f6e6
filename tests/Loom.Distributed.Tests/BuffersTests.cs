using System.Globalization;

namespace Loom.Distributed.Tests;

/// <summary>BatchNorm running statistics after <see cref="DataParallel.SynchronizeBuffers"/>: equal on every rank.</summary>
[Collection("mpi")]
public sealed class BuffersTests
{
    [Fact]
    public void Running_statistics_are_equal_on_every_rank_and_the_mean_is_the_whole_batch_one()
    {
        var single = RankProgram.Run(RankProgram.Alone("buffers"));
        var parallel = RankProgram.Run(RankProgram.Mpirun(2, "buffers"));
        Assert.True(single.ExitCode == 0, single.Output);
        Assert.True(parallel.ExitCode == 0, parallel.Output);
        foreach (var name in new[] { "running_mean", "running_var", "num_batches_tracked" })
            Assert.Equal(parallel.Value(0, name), parallel.Value(1, name));
        Assert.Equal("2", parallel.Value(0, "num_batches_tracked"));
        // The running mean is linear in the batch means: the average over ranks is the whole batch's, up to rounding.
        var expected = Doubles(single.Value(0, "running_mean"));
        var actual = Doubles(parallel.Value(0, "running_mean"));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First, pair.Second, 1e-6));
        // The variance averages per-rank variances (a documented approximation, not the whole batch's): exactly
        // that average, which the scenario computes from the shards without DataParallel.
        foreach (var run in new[] { single, parallel })
        {
            var expectedVariance = Doubles(run.Value(0, "expected_running_var"));
            var variance = Doubles(run.Value(0, "running_var"));
            Assert.All(expectedVariance.Zip(variance), pair => Assert.Equal(pair.First, pair.Second, 1e-5));
        }
    }

    static double[] Doubles(string values) => values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
