using Loom.Search;

namespace Loom.Core.Tests.Search;

public class PrunerTests
{
    [Fact]
    public void Successive_halving_rungs_grow_by_eta_and_end_at_the_budget()
    {
        Assert.Equal([1, 3, 9, 27], new SuccessiveHalvingPruner(1, 27, 3).Rungs(27));
        Assert.Equal([1, 2, 4, 6], new SuccessiveHalvingPruner(1, 6, 2).Rungs(6));
        Assert.Equal([6], new NonePruner().Rungs(6));
    }

    /// <summary>A curve per trial: its quality q, visible from the first epoch, improving with epochs.</summary>
    static double Curve(Trial t) 
    {
        double q = t.Float("q");
        for (int epoch = 1; epoch <= 9; epoch++)
        {
            t.Report(epoch, q * (1 - Math.Pow(0.5, epoch)));
            if (t.ShouldPrune()) throw new TrialPrunedException();
        }
        return q * (1 - Math.Pow(0.5, 9));
    }

    [Fact]
    public void Successive_halving_keeps_the_best_third_at_each_rung_and_spends_fewer_epochs()
    {
        var study = new Study(new SearchSpace().Float("q", 0, 1), new RandomSampler(5), Direction.Maximize, new SuccessiveHalvingPruner(1, 9, 3));
        study.Optimize(Curve, 30);
        var pruned = study.Trials.Where(t => t.State == TrialState.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.Contains(t.LastStep!.Value, new[] { 1, 3 }));
        int epochs = study.Trials.Sum(t => t.LastStep!.Value);
        Assert.True(epochs < 30 * 9 / 2, $"{epochs} epochs for 30 trials of 9");
        // The best trial of all (largest q) was never pruned in favour of a worse one reaching the end.
        var all = study.Trials.OrderByDescending(t => t.Float("q")).First();
        Assert.Equal(TrialState.Complete, all.State);
        Assert.Same(all, study.Best);
    }

    [Fact]
    public void Median_pruner_stops_trials_below_the_median_of_finished_ones()
    {
        var study = new Study(new SearchSpace().Float("q", 0, 1), new RandomSampler(9), Direction.Maximize, new MedianPruner(startupTrials: 3));
        study.Optimize(Curve, 20);
        var complete = study.Trials.Where(t => t.State == TrialState.Complete).ToList();
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Pruned))
        {
            int step = t.LastStep!.Value;
            var earlier = complete.Where(c => c.Number < t.Number).Select(c => c.Intermediate[step]).Order().ToList();
            Assert.True(earlier.Count >= 3);
            Assert.True(t.Intermediate[step] < earlier[earlier.Count / 2] + 1e-12, t.ToString());
        }
        Assert.Contains(study.Trials, t => t.State == TrialState.Pruned);
    }
}
