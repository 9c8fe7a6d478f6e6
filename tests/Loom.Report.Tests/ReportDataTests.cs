using Loom.Experiments;
using Loom.Reporting;
using Loom.Scheduling;

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
