using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids.Tests;

/// <summary>Launcher, patterns and the reconciliation rules, without processes.</summary>
public sealed class GridUnitTests
{
    static readonly string Conf = Path.Combine(Cli.RepoRoot, "conf");

    static IReadOnlyList<GridXp> Explore(Grid grid) => GridCatalog.Explore("t", grid, argv => Xp.Create(Conf, argv, "/tmp/loom-unit"));

    sealed class BindingGrid : Grid
    {
        public override void Explore(Launcher launcher)
        {
            launcher.Bind_("model=mlp");
            var sub = launcher.Bind("epochs=2").Slurm(cpus: 3);
            sub.Launch("optim.lr=0.1");
            sub.Launch("optim.lr=0.1"); // duplicate
            sub.Launch("epochs=3");     // replaces the bound epochs=2
            launcher.Launch();          // the parent is untouched by Bind and Slurm
        }
    }

    [Fact]
    public void BindDerivesBindUnderscoreChangesInPlaceAndDuplicatesAreAddedOnce()
    {
        var xps = Explore(new BindingGrid());
        Assert.Equal(["model=mlp epochs=2", "model=mlp epochs=3", "model=mlp"], xps.Select(x => x.Xp.Name).ToArray());
        Assert.Equal([3, 3, 2], xps.Select(x => x.Resources.Cpus!.Value).ToArray()); // default: the XP's threads (2)
        Assert.Equal(["model=mlp", "epochs=2", "optim.lr=0.1"], xps[0].Xp.Argv);
    }

    [Fact]
    public void AThrowingGridIsReportedWithItsFileAndLine()
    {
        var e = Assert.Throws<GridException>(() => Explore(new ThrowingGrid()));
        Assert.Matches($@"grid 't' failed at .*TestGrids\.cs:{ThrowingGrid.Line}: boom in the grid", e.Message);
    }

    [Fact]
    public void CatalogNamesGridsAfterTheirClassesAndListsThemWhenOneIsUnknown()
    {
        var catalog = new GridCatalog([typeof(EnvGrid).Assembly]);
        Assert.Contains("env", catalog.Names);
        Assert.Contains("binding", catalog.Names); // nested private classes count too
        Assert.Equal("batch_size", Grid.NameOf(typeof(BatchSizeGrid)));
        var e = Assert.Throws<GridException>(() => catalog.Get("nope"));
        Assert.Contains("the grids are: batch_size, binding, env, throwing", e.Message);
    }

    sealed class BatchSizeGrid : Grid { public override void Explore(Launcher launcher) { } }

    [Theory]
    [InlineData(new[] { "lr" }, new[] { 0, 1, 2 })]
    [InlineData(new[] { "lr=0.1" }, new[] { 0, 2 })]
    [InlineData(new[] { "!mlp" }, new[] { 0, 1 })]
    [InlineData(new[] { "lr=0.1", "!mlp" }, new[] { 0 })]
    [InlineData(new[] { "1" }, new[] { 1 })]
    [InlineData(new[] { "-1" }, new[] { 2 })]
    [InlineData(new[] { "lr=0.1", "1" }, new[] { 2 })]
    [InlineData(new[] { "opt*0.01" }, new[] { 1 })]
    public void PatternsAreDorasSubstringGlobsAndedAndIndexes(string[] patterns, int[] expected)
    {
        string[] names = ["cnn opt.lr=0.1", "cnn opt.lr=0.01", "mlp opt.lr=0.1"];
        Assert.Equal(expected, GridFilter.Select(names, patterns).ToArray());
    }

    [Theory]
    [InlineData("!", "is empty")]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("7", "index 7 is out of range")]
    public void BadPatternsAreOneLineErrors(string pattern, string message)
    {
        var e = Assert.Throws<GridException>(() => GridFilter.Select(["a", "b"], [pattern]));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    static GridXp Member(string lr) => new(Xp.Create(Conf, [$"optim.lr={lr}"], "/tmp/loom-unit"), new Resources(1));

    [Fact]
    public void PlanFollowsDorasSubmitRules()
    {
        var none = Member("0.5"); var pending = Member("0.2"); var running = Member("0.3");
        var done = Member("0.4"); var failed = Member("0.6"); var cancelled = Member("0.7");
        var jobs = new Dictionary<string, JobInfo>
        {
            [pending.Xp.Sig] = new("1", pending.Xp.Sig, JobState.Pending), [running.Xp.Sig] = new("2", running.Xp.Sig, JobState.Running),
            [done.Xp.Sig] = new("3", done.Xp.Sig, JobState.Completed), [failed.Xp.Sig] = new("4", failed.Xp.Sig, JobState.Failed),
            [cancelled.Xp.Sig] = new("5", cancelled.Xp.Sig, JobState.Cancelled),
            ["gone0001"] = new("6", "gone0001", JobState.Running), ["gone0002"] = new("7", "gone0002", JobState.Completed),
        };
        GridXp[] all = [none, pending, running, done, failed, cancelled];
        string[] Submitted(GridOptions o) => GridPlan.Make(all, jobs, ["gone0001", "gone0002"], o).Submit.Select(s => s.Xp.Sig).ToArray();
        string[] Cancelled(GridOptions o) => GridPlan.Make(all, jobs, ["gone0001", "gone0002"], o).Cancel.Select(c => c.Job.JobId).ToArray();

        Assert.Equal([none.Xp.Sig], Submitted(new()));
        Assert.Equal(["6"], Cancelled(new())); // only the active job of the removed XPs
        Assert.Equal([none.Xp.Sig, failed.Xp.Sig, cancelled.Xp.Sig], Submitted(new(Retry: true)));
        Assert.Equal([none.Xp.Sig, pending.Xp.Sig, running.Xp.Sig], Submitted(new(Replace: true)));
        Assert.Equal(["6", "1", "2"], Cancelled(new(Replace: true)));
        Assert.Equal([none.Xp.Sig, done.Xp.Sig], Submitted(new(ReplaceDone: true)));
        Assert.Empty(Submitted(new(Cancel: true)));
        Assert.Equal(["6", "1", "2"], Cancelled(new(Cancel: true)));
        Assert.Equal(all.Select(a => a.Xp.Sig), Submitted(new(Clear: true)));
    }
}
