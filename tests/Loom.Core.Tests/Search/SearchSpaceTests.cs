using Loom.Search;

namespace Loom.Core.Tests.Search;

public class SearchSpaceTests
{
    [Theory]
    [InlineData("low", "search parameter 'x': low must be below high, got low=1 high=1")]
    [InlineData("log", "search parameter 'x': log scale needs low > 0, got low=0")]
    [InlineData("twice", "search parameter 'x' is declared twice")]
    [InlineData("parent", "search parameter 'm': its condition needs a choice 'optim' declared before it")]
    [InlineData("value", "search parameter 'm': 'adam' is not one of optim's values [sgd, adamw]")]
    [InlineData("empty", "the search space is empty: declare at least one Float, Int or Choice")]
    public void Bad_declarations_are_one_line_errors_naming_the_key(string what, string message)
    {
        var e = Assert.Throws<SearchException>(() =>
        {
            var space = new SearchSpace();
            switch (what)
            {
                case "low": space.Float("x", 1, 1); break;
                case "log": space.Float("x", 0, 1, log: true); break;
                case "twice": space.Float("x", 0, 1).Int("x", 0, 3); break;
                case "parent": space.Float("m", 0, 1, when: new("optim", "sgd")); break;
                case "value": space.Choice("optim", "sgd", "adamw").Float("m", 0, 1, when: new("optim", "adam")); break;
                case "empty": new Study(space, new RandomSampler()); break;
            }
        });
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Bad_budgets_and_factors_are_one_line_errors()
    {
        var study = new Study(new SearchSpace().Float("x", 0, 1), new RandomSampler());
        Assert.Equal("a search needs a budget of at least 1 trial, got 0", Assert.Throws<SearchException>(() => study.Optimize(_ => 0, 0)).Message);
        Assert.Equal("successive halving: eta (the reduction factor) must be at least 2, got 1",
            Assert.Throws<SearchException>(() => new SuccessiveHalvingPruner(1, 9, eta: 1)).Message);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("tpe")]
    [InlineData("grid")]
    public void Conditional_parameters_exist_exactly_under_their_choice(string sampler)
    {
        var space = new SearchSpace()
            .Choice("optim", "sgd", "adamw")
            .Float("optim.lr", 1e-4, 1, log: true)
            .Float("optim.momentum", 0, 0.99, when: new("optim", "sgd"))
            .Choice("optim.nesterov", [true, false], new Condition("optim", "sgd"))
            .Int("batch_size", 16, 256, log: true);
        ISampler s = sampler switch { "random" => new RandomSampler(3), "tpe" => new TpeSampler(3, startupTrials: 5), _ => new GridSampler(3) };
        var study = new Study(space, s, Direction.Maximize);
        study.Optimize(t => t.Text("optim") == "sgd" ? t.Float("optim.momentum") : -Math.Log(t.Float("optim.lr")), 100);
        Assert.All(study.Trials, t =>
        {
            bool sgd = t.Text("optim") == "sgd";
            Assert.Equal(sgd, t.Has("optim.momentum"));
            Assert.Equal(sgd, t.Has("optim.nesterov"));
            Assert.InRange(t.Float("optim.lr"), 1e-4, 1);
            Assert.InRange(t.Int("batch_size"), 16, 256);
        });
        Assert.Contains(study.Trials, t => t.Text("optim") == "sgd");
        Assert.Contains(study.Trials, t => t.Text("optim") == "adamw");
    }

    [Fact]
    public void The_grid_multiplies_only_the_branches_where_a_parameter_exists()
    {
        var space = new SearchSpace().Choice("optim", "sgd", "adamw").Float("m", 0, 1, when: new("optim", "sgd")).Int("n", 1, 3);
        var grid = new GridSampler(points: 4);
        // sgd: 4 momenta × 3 n; adamw: 3 n.
        Assert.Equal(15, grid.Capacity(space));
        var study = new Study(space, grid);
        study.Optimize(_ => 0, 100);
        Assert.Equal(15, study.Trials.Count);
        Assert.Equal(15, study.Trials.Select(t => t.ToString()).Distinct().Count());
    }
}
