using Loom.Experiments;
using Loom.Reporting;
using Loom.Scheduling;
using Loom.Searches;

namespace Loom.Report.Tests;

/// <summary>The data the report page embeds, built from XP folders written by the test.</summary>
public sealed class ReportDataTests : IDisposable
{
    readonly XpFixture fx = new();
    public void Dispose() => fx.Dispose();

    ReportData Build(params string[] targets) =>
        ReportData.Build("t", ReportTargets.Resolve(fx.Conf, fx.Outputs, targets));

    [Fact]
    public void A_grid_gives_one_entry_per_member_with_its_delta_as_parameters()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 3);
        var b = fx.AddXp(["model=mlp", "optim.lr=0.5"], 4);
        fx.SaveGrid("demo", [a, b]);

        var data = Build("demo");

        Assert.Equal([a.Sig, b.Sig], data.Xps.Select(x => x.Sig));
        Assert.Equal(["optim.lr", "model"], data.Params);
        // A key the XP did not change still has its value: the config's, or the group's choice.
        Assert.Equal(0.01, data.Xps[0].Params["optim.lr"]);
        Assert.Equal("cnn", data.Xps[0].Params["model"]);
        Assert.Equal("mlp", data.Xps[1].Params["model"]);
        Assert.Equal(["train.loss", "valid.loss", "test.loss", "train.accuracy", "valid.accuracy", "test.accuracy", "lr"], data.Metrics);
        Assert.Equal([1, 2, 3], data.Xps[0].Epochs);
        Assert.Equal(3, data.Xps[0].Curves["valid.accuracy"].Count);
        Assert.DoesNotContain("duration", data.Metrics);
        Assert.DoesNotContain("epoch", data.Metrics);
    }

    [Fact]
    public void Final_is_the_last_epoch_and_best_is_the_highest_accuracy_and_the_lowest_loss()
    {
        var xp = fx.AddXp(["optim.lr=0.01"], 3);
        // Epoch 2 is the best: accuracy up then down, loss down then up.
        var history = History.Load(xp.Folder);
        history.Epochs[1]["valid"]!["accuracy"] = 0.99;
        history.Epochs[1]["valid"]!["loss"] = 0.01;
        history.Save(xp.Folder);

        var x = Build(xp.Sig).Xps.Single();

        Assert.Equal(History.Metric(history.Epochs[2], "valid.accuracy"), x.Final["valid.accuracy"]);
        Assert.Equal(0.99, x.Best["valid.accuracy"]);
        Assert.Equal(0.01, x.Best["valid.loss"]);
        Assert.Equal(0.01 / 3, x.Final["lr"]!.Value, 12);
        Assert.Null(x.Best["lr"]); // a learning rate has no best
    }

    [Fact]
    public void Seeds_form_one_group_with_mean_and_sample_std()
    {
        var s1 = fx.AddXp(["optim.lr=0.3", "seed=1"], 2);
        var s2 = fx.AddXp(["optim.lr=0.3", "seed=2"], 2);
        var other = fx.AddXp(["optim.lr=0.2", "seed=1"], 2);

        var data = Build(s1.Sig, s2.Sig, other.Sig);

        Assert.Equal(2, data.Groups.Count);
        Assert.Equal([s1.Sig, s2.Sig], data.Groups[0].Sigs);
        Assert.Equal("opt.lr=0.3", data.Groups[0].Name);
        double f1 = data.Xps[0].Final["test.loss"]!.Value, f2 = data.Xps[1].Final["test.loss"]!.Value;
        var stat = data.Groups[0].Final["test.loss"]!;
        Assert.Equal((f1 + f2) / 2, stat.Mean, 12);
        Assert.Equal(Math.Abs(f1 - f2) / Math.Sqrt(2), stat.Std, 12);
        Assert.Equal(2, stat.N);
        Assert.Equal(0, data.Groups[1].Final["test.loss"]!.Std);
    }

    [Fact]
    public void An_xp_without_history_is_listed_with_no_curves()
    {
        var started = fx.AddXp(["optim.lr=0.3"], 0);
        File.Delete(Path.Combine(started.Folder, History.FileName));
        var done = fx.AddXp(["optim.lr=0.4"], 2);

        var data = Build(started.Sig, done.Sig);

        Assert.Empty(data.Xps[0].Epochs);
        Assert.Null(data.Xps[0].Final["test.accuracy"]);
        Assert.Equal(2, data.Xps[1].Epochs.Count);
    }

    [Fact]
    public void A_corrupt_history_is_one_error_naming_the_file()
    {
        var xp = fx.AddXp(["optim.lr=0.3"], 1);
        File.WriteAllText(Path.Combine(xp.Folder, History.FileName), "{\"epoch\": 1");

        var e = Assert.Throws<ReportException>(() => Build(xp.Sig));
        Assert.Contains(Path.Combine(xp.Folder, History.FileName), e.Message);
    }

    /// <summary>Five trials of a search: rungs 1, 3, 9; trial 2 failed; they finished in the order 1, 0, 3, 2, 4.</summary>
    SearchState FiveTrialSearch() => fx.AddSearch("demo_search",
    [
        (0.01, "cnn", TrialState.Complete, new() { [1] = 0.5, [3] = 0.6, [9] = 0.7 }),
        (0.1, "mlp", TrialState.Pruned, new() { [1] = 0.4 }),
        (0.3, "cnn", TrialState.Failed, new()),
        (0.05, "mlp", TrialState.Complete, new() { [1] = 0.55, [3] = 0.65, [9] = 0.66 }),
        (0.2, "cnn", TrialState.Complete, new() { [1] = 0.6, [3] = 0.7, [9] = 0.8 }),
    ], finished: [1, 0, 3, 2, 4]);

    [Fact]
    public void A_search_gives_its_trials_with_their_states_best_so_far_curves_and_marginal_values()
    {
        var state = FiveTrialSearch();

        var data = ReportData.Read(fx.Conf, fx.Outputs, ["demo_search"]);

        Assert.Equal(state.Trials.Select(t => t.Sig), data.Xps.Select(x => x.Sig)); // the parallel coordinates' lines
        Assert.Equal(["COMPLETE", "PRUNED@1", "FAILED", "COMPLETE", "COMPLETE"], data.Xps.Select(x => x.State));
        var s = data.Search!;
        Assert.Equal("valid.accuracy", s.Objective);
        Assert.True(s.Maximize); // from the trials' metrics.json
        // Finished 1 (pruned: no best yet), 0 (0.7), 3 (0.66 < 0.7), 2 (failed), 4 (0.8).
        Assert.Equal([new BestSoFar(2, 0.7), new BestSoFar(3, 0.7), new BestSoFar(4, 0.7), new BestSoFar(5, 0.8)], s.BestByTrials);
        // Epochs spent: 1 (trial 1), +9 (trial 0), +9 (trial 3), +0 (trial 2), +9 (trial 4).
        Assert.Equal([new BestSoFar(10, 0.7), new BestSoFar(19, 0.7), new BestSoFar(19, 0.7), new BestSoFar(28, 0.8)], s.BestByEpochs);
        // The marginals: numbers for a real parameter, text for a choice; a pruned trial's value is its rung's, a failed one has none.
        Assert.Equal([0.01, 0.1, 0.3, 0.05, 0.2], s.Trials.Select(t => t.Params["optim.lr"]));
        Assert.Equal(["cnn", "mlp", "cnn", "mlp", "cnn"], s.Trials.Select(t => t.Params["model"]));
        Assert.Equal([0.7, 0.4, null, 0.66, 0.8], s.Trials.Select(t => t.Value));
        Assert.Contains("\"bestByEpochs\":[{\"x\":10,\"best\":0.7}", data.ToJson());
    }

    [Fact]
    public void A_minimized_objective_takes_its_direction_from_metrics_json()
    {
        var state = FiveTrialSearch();
        foreach (var t in state.Trials) new MetricDeclarations([MetricSpec.Loss, MetricSpec.Min("accuracy")]).Write(Path.Combine(fx.Outputs, "xps", t.Sig));

        var s = ReportData.Read(fx.Conf, fx.Outputs, ["demo_search"]).Search!;

        Assert.False(s.Maximize);
        Assert.Equal([0.7, 0.66, 0.66, 0.66], s.BestByTrials.Select(p => p.Best)); // the lower complete values win
    }

    [Fact]
    public void A_grid_or_a_signature_has_no_search_view_and_a_search_name_is_never_a_path()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 3);
        fx.SaveGrid("demo", [a]);
        Assert.Null(ReportData.Read(fx.Conf, fx.Outputs, ["demo"]).Search);
        Assert.Null(ReportData.Read(fx.Conf, fx.Outputs, [a.Sig]).Search);
        FiveTrialSearch();
        Assert.False(SearchState.Exists(Path.Combine(fx.Outputs, "xps"), "../searches/demo_search"));
    }

    [Theory]
    [InlineData("nosuchgrid")]
    [InlineData("../etc")]
    [InlineData("deadbeef")]
    public void An_unknown_grid_or_signature_is_refused_by_name(string target)
    {
        var e = Assert.Throws<ReportException>(() => ReportTargets.Resolve(fx.Conf, fx.Outputs, [target]));
        Assert.Contains($"'{target}'", e.Message);
    }

    [Fact]
    public void Job_states_come_from_the_scheduler_and_a_pending_member_without_folder_is_shown()
    {
        var ran = fx.AddXp(["optim.lr=0.01"], 2);
        var pending = Xp.Create(fx.Conf, ["optim.lr=0.7"], fx.Outputs); // submitted, never started: no folder
        using (var store = new JobStore(new SchedulerPaths(fx.Outputs).Database))
            store.Submit([Request(ran), Request(pending)]);
        fx.SaveGrid("demo", [ran, pending]);

        var data = Build("demo");

        Assert.Equal(["PENDING", "PENDING"], data.Xps.Select(x => x.State));
        Assert.Equal(pending.Sig, data.Xps[1].Sig);
        Assert.Equal(0.7, data.Xps[1].Params["optim.lr"]);
        Assert.Empty(data.Xps[1].Epochs);
        Assert.False(Directory.Exists(pending.Folder)); // reporting created nothing
    }

    JobRequest Request(Xp xp) => new(xp.Sig, xp.Argv, fx.Conf, fx.Outputs, xp.Folder, new Resources(Cpus: 1));
}
