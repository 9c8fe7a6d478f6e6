namespace Loom.Distributed.Tests;

/// <summary>Every collective of <see cref="MpiCollectives"/> on 2 and 3 real ranks (3 oversubscribes two cores).</summary>
[Collection("mpi")]
public sealed class CollectivesTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Collectives_give_the_sums_and_broadcasts_on_every_rank(int ranks)
    {
        var result = RankProgram.Run(RankProgram.Mpirun(ranks, "collectives"));
        Assert.True(result.ExitCode == 0, result.Output);
        int sum = ranks * (ranks + 1) / 2;  // Σ (r + 1)
        double rankSum = ranks * (ranks - 1) / 2;  // Σ r
        for (int r = 0; r < ranks; r++)
        {
            Assert.Equal($"{sum},{10 * sum},{0.5f * ranks}", result.Value(r, "sum float32"));
            Assert.Equal($"{sum},{0.25 * rankSum}", result.Value(r, "sum float64"));
            Assert.Equal($"{sum},{ranks * (1L << 40)}", result.Value(r, "sum int64"));
            Assert.Equal($"{rankSum},{ranks}", result.Value(r, "sum span"));
            Assert.Equal("0,1,2,3", result.Value(r, "bcast root0"));
            Assert.Equal(string.Join(",", Enumerable.Repeat(ranks - 1, 3)), result.Value(r, "bcast rootlast"));
            Assert.Equal($"{sum},{sum}", result.Value(r, "sum big min max"));
            Assert.Equal("passed", result.Value(r, "barrier"));
        }
    }

    [Fact]
    public void Collectives_outside_a_launcher_fail_with_one_line_saying_what_to_do()
    {
        var result = RankProgram.Run(RankProgram.Alone("start"));
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("not started by mpirun", line);
        Assert.Contains("mpirun -np N", line);
    }
}
