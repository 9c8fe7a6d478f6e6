using Loom.Search;

namespace Loom.Core.Tests.Search;

public class SamplerTests
{
    static SearchSpace Space() => new SearchSpace()
        .Float("x", -5, 10).Float("y", 0, 15).Choice("c", "a", "b", "c").Int("n", 1, 100, log: true);

    static double Objective(Trial t) => Functions.Branin(t.Float("x"), t.Float("y")) + (t.Text("c") == "b" ? 0 : 1) + Math.Abs(Math.Log(t.Int("n")) - 2);

    static List<string> Run(ISampler sampler, int trials)
    {
        var study = new Study(Space(), sampler);
        study.Optimize(Objective, trials);
        return [.. study.Trials.Select(t => t.ToString())];
    }

    [Fact]
    public void Samplers_are_deterministic_given_the_seed()
    {
        Assert.Equal(Run(new TpeSampler(7), 40), Run(new TpeSampler(7), 40));
        Assert.Equal(Run(new RandomSampler(7), 40), Run(new RandomSampler(7), 40));
        Assert.NotEqual(Run(new TpeSampler(7), 40), Run(new TpeSampler(8), 40));
    }

    [Fact]
    public void A_proposal_depends_only_on_the_seed_the_number_and_the_finished_trials_in_order()
    {
        // Two drivers that saw the same results in the same order propose the same trial: what a restart relies on.
        var first = new Study(Space(), new TpeSampler(11));
        first.Optimize(Objective, 30);
        var finished = first.Trials.ToList();
        var a = new TpeSampler(11).Propose(Space(), finished, Direction.Minimize, 30);
        var b = new TpeSampler(11).Propose(Space(), finished, Direction.Minimize, 30);
        Assert.Equal(a, b);
        // Another order of the same results is another history: TPE's weights follow trial numbers, not order, so
        // the proposal may stay the same, but a different set of finished trials changes it.
        var c = new TpeSampler(11).Propose(Space(), finished.Take(29).ToList(), Direction.Minimize, 30);
        Assert.NotEqual(a.Select(kv => Trial.Format(kv.Value)), c.Select(kv => Trial.Format(kv.Value)));
    }

    [Fact]
    public void Tpe_finds_the_minimum_of_a_quadratic()
    {
        var space = new SearchSpace().Float("x", -10, 10).Float("y", -10, 10);
        var study = new Study(space, new TpeSampler(1));
        study.Optimize(t => Math.Pow(t.Float("x") - 3, 2) + Math.Pow(t.Float("y") + 1, 2), 200);
        var best = study.Best!;
        Assert.InRange(best.Float("x"), 2.5, 3.5);
        Assert.InRange(best.Float("y"), -1.5, -0.5);
        Assert.True(best.Value < 0.25, $"best {best}");
    }

    [Fact]
    public void Tpe_beats_random_on_a_fixed_seed_set()
    {
        var space = new SearchSpace().Float("x", -5, 10).Float("y", 0, 15);
        double Best(ISampler s)
        {
            var study = new Study(space, s);
            study.Optimize(t => Functions.Branin(t.Float("x"), t.Float("y")), 60);
            return study.Best!.Value!.Value;
        }
        var seeds = Enumerable.Range(0, 10).ToList();
        var tpe = seeds.Select(s => Best(new TpeSampler(s))).Order().ToList();
        var random = seeds.Select(s => Best(new RandomSampler(s))).Order().ToList();
        int wins = seeds.Count(s => Best(new TpeSampler(s)) < Best(new RandomSampler(s)));
        Assert.True(tpe[5] < random[5], $"median tpe {tpe[5]} vs random {random[5]}");
        Assert.True(wins >= 7, $"tpe better on {wins} of 10 seeds");
    }

    [Fact]
    public void Tpe_handles_integers_and_choices()
    {
        var space = new SearchSpace().Int("n", 0, 20).Choice("c", "a", "b", "c", "d");
        var study = new Study(space, new TpeSampler(2));
        study.Optimize(t => Math.Abs(t.Int("n") - 13) + (t.Text("c") == "c" ? 0 : 5), 80);
        Assert.Equal(0, study.Best!.Value);
        // After the startup, the good choice dominates the proposals.
        Assert.True(study.Trials.Skip(40).Count(t => t.Text("c") == "c") > 25);
    }
}
