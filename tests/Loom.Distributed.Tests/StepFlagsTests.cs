using System.Globalization;

namespace Loom.Distributed.Tests;

/// <summary>
/// The non-finite-loss flags and the stop request of a step travel in its gradient all-reduce: with data parallel each
/// optimizer step makes exactly one collective, a NaN or infinite loss on one rank alone still stops (or skips) every rank
/// at that step, and a stop requested on one rank is agreed by all at the same step.
/// The summed buffer then holds that rank's non-finite gradients on every rank: the weights stay finite and equal only
/// because the step is decided from the flags before the optimizer reads the gradients.
/// </summary>
[Collection("mpi")]
public sealed class StepFlagsTests
{
    const int Steps = 5;

    static RankProgram.Result Run(string mode, int badRank, int badStep, string value, int stopStep = 0)
    {
        var r = RankProgram.Run(RankProgram.Mpirun(2, "steps", mode, Steps.ToString(CultureInfo.InvariantCulture), badRank.ToString(CultureInfo.InvariantCulture),
            badStep.ToString(CultureInfo.InvariantCulture), value, stopStep.ToString(CultureInfo.InvariantCulture)));
        Assert.True(r.ExitCode == 0, r.Output);
        return r;
    }

    static double[] Weights(RankProgram.Result r, int rank) =>
        r.Value(rank, "weights").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void A_NaN_loss_on_one_rank_stops_both_at_its_step_with_one_collective_per_step()
    {
        var r = Run("stop", badRank: 1, badStep: 3, "nan");
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal("stopped: epoch 1, step 3: the training loss is NaN", r.Value(rank, "outcome")); // rank 0's own loss was finite
            Assert.Equal("3", r.Value(rank, "collectives")); // steps 1, 2 and 3: one all-reduce each
        }
        Assert.Equal(Weights(r, 0), Weights(r, 1));
        Assert.All(Weights(r, 0), w => Assert.True(double.IsFinite(w)));
    }

    [Fact]
    public void An_infinite_loss_on_one_rank_is_skipped_by_both_and_the_poisoned_sum_never_reaches_the_weights()
    {
        var skipped = Run("skip", badRank: 0, badStep: 2, "inf", stopStep: 4); // rank 1 asks to stop from step 4 on
        var clean = Run("skip", badRank: 0, badStep: Steps + 1, "inf"); // no bad step
        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal("completed", skipped.Value(rank, "outcome"));
            Assert.Equal("1", skipped.Value(rank, "skipped"));
            Assert.Equal(Steps.ToString(CultureInfo.InvariantCulture), skipped.Value(rank, "collectives")); // the stop request made none of its own
            Assert.Equal("4", skipped.Value(rank, "stop agreed at"));
            Assert.Equal("0", clean.Value(rank, "skipped"));
            Assert.Equal("0", clean.Value(rank, "stop agreed at"));
        }
        Assert.Equal(Weights(skipped, 0), Weights(skipped, 1));
        Assert.All(Weights(skipped, 0), w => Assert.True(double.IsFinite(w)));
        Assert.NotEqual(Weights(clean, 0), Weights(skipped, 0)); // one step fewer applied
    }
}
