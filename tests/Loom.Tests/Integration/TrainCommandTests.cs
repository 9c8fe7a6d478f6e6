using System.Text.Json.Nodes;

namespace Loom.Tests.Integration;

/// <summary>`loom train` end to end on the real Fashion-MNIST (a subset, to stay fast).</summary>
public sealed class TrainCommandTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static string Sig(LoomCli.Result run) =>
        run.Stdout.Split('\n').Single(l => l.StartsWith("sig ")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

    [Fact]
    public void ShortTrainingLearnsAndWritesTheXpFolder()
    {
        var run = cli.Run(cli.Fast());
        Assert.True(run.ExitCode == 0, run.Stderr);
        string folder = cli.XpFolder(Sig(run));
        foreach (var file in new[] { "config.yaml", ".argv.json", "history.json", "train.log", "checkpoint.last", "checkpoint.prev", "checkpoint.best" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file + " missing");

        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.Equal(3, history.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i + 1, history[i]!["epoch"]!.GetValue<int>());
            foreach (var split in new[] { "train", "test" })
            {
                double loss = history[i]![split]!["loss"]!.GetValue<double>();
                double accuracy = history[i]![split]!["accuracy"]!.GetValue<double>();
                Assert.InRange(loss, 0, 10);
                Assert.InRange(accuracy, 0, 1);
            }
        }
        // 10 classes: chance is 10 %. 900 training images (100 of the thousand are held out for validation) and
        // three epochs already give far more (the best epoch: at lr 0.1 on so little data, the last one can wobble).
        Assert.True(history.Max(e => e!["test"]!["accuracy"]!.GetValue<double>()) > 0.45, history.ToJsonString());
        Assert.True(history[2]!["train"]!["loss"]!.GetValue<double>() < history[0]!["train"]!["loss"]!.GetValue<double>());

        string log = File.ReadAllText(Path.Combine(folder, "train.log"));
        Assert.Matches(@"^\[\d\d-\d\d \d\d:\d\d:\d\d\]\[loom\]\[INFO\] - XP ", log);
        Assert.Matches(@"\[train\]\[INFO\] - epoch 3 \| train loss", log);
        Assert.DoesNotContain("\u001b[", log); // the file is plain even when the console is colored
        AssertTestScoreOfSelectedEpoch(run.Stdout, history, "best valid.accuracy");
        Assert.Contains("samples/s", run.Stdout);
        Assert.Equal("[\"data.limit=1000\", \"epochs=3\", \"progress=plain\", \"model.channels=8\", \"threads=1\", \"loom.outputs=" + cli.Outputs + "\"]",
            File.ReadAllText(Path.Combine(folder, ".argv.json")));
    }

    /// <summary>The summary's test figure is the test score of the epoch the selection picked (the first best valid
    /// accuracy, or the last epoch), never the best test score over epochs.</summary>
    static void AssertTestScoreOfSelectedEpoch(string stdout, JsonArray history, string selection)
    {
        int selected = selection == "last epoch" ? history.Count - 1 : 0;
        if (selection != "last epoch")
            for (int i = 1; i < history.Count; i++)
                if (history[i]!["valid"]!["accuracy"]!.GetValue<double>() > history[selected]!["valid"]!["accuracy"]!.GetValue<double>()) selected = i;
        double test = history[selected]!["test"]!["accuracy"]!.GetValue<double>();
        string expected = $"test        {100 * test:F2} % (epoch {selected + 1}, {selection})";
        Assert.Contains(expected, stdout);
        Assert.Contains($"selected    epoch {selected + 1} ({selection}", stdout);
    }

    [Fact]
    public void WithoutValidationSplitTheLastEpochIsSelectedAndTestNeverMonitors()
    {
        var run = cli.Run(cli.Fast("data.valid_fraction=0", "epochs=2"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(cli.XpFolder(Sig(run)), "history.json")))!.AsArray();
        Assert.Null(history[0]!["valid"]);
        AssertTestScoreOfSelectedEpoch(run.Stdout, history, "last epoch");
        Assert.Contains("(last epoch: no validation split)", run.Stdout);
        Assert.DoesNotContain("(best)", run.Stderr); // no epoch is "best" on the test split
        Assert.Contains("train 1000, test 1000", run.Stderr);

        // Early stopping and a plateau schedule need a monitored metric: refused, not silently put on test.
        foreach (var needsMetric in new[] { "patience=1", "schedule=plateau" })
        {
            var refused = cli.Run(cli.Fast("data.valid_fraction=0", needsMetric));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("no validation split to select on", refused.Stderr);
        }
    }

    [Fact]
    public void TwoRunsOfTheSameXpAreBitIdentical()
    {
        var first = cli.Run(cli.Fast("loom.outputs=" + Path.Combine(cli.WorkDir, "a")));
        var second = cli.Run(cli.Fast("loom.outputs=" + Path.Combine(cli.WorkDir, "b")));
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Stderr + second.Stderr);
        string a = Path.Combine(cli.WorkDir, "a", "xps", Sig(first)), b = Path.Combine(cli.WorkDir, "b", "xps", Sig(second));
        Assert.Equal(Sig(first), Sig(second)); // loom.outputs is excluded from the signature
        Assert.Equal(XpFiles.HistoryWithoutTimings(a), XpFiles.HistoryWithoutTimings(b));
        Assert.True(XpFiles.LastState(a).Model.AsSpan().SequenceEqual(XpFiles.LastState(b).Model));
    }

    [Fact]
    public void FinishedXpIsNotRetrainedAndRestartWipesIt()
    {
        var first = cli.Run(cli.Fast("epochs=2"));
        Assert.Equal(0, first.ExitCode);
        string folder = cli.XpFolder(Sig(first));
        File.WriteAllText(Path.Combine(folder, "stray.txt"), "left by the user");

        var again = cli.Run(cli.Fast("epochs=2"));
        Assert.Contains("resumed after epoch 2", again.Stdout);
        Assert.DoesNotContain("epoch 1 |", again.Stderr);

        var restarted = cli.Run(cli.Fast("epochs=2", "restart=true"));
        Assert.Equal(Sig(first), Sig(restarted)); // restart is excluded from the signature
        Assert.DoesNotContain("resumed", restarted.Stdout);
        Assert.Contains("epoch 1 |", restarted.Stderr);
        Assert.False(File.Exists(Path.Combine(folder, "stray.txt")));
    }

    [Fact]
    public void ValidationSplitIsMonitoredAndEarlyStoppingStops()
    {
        var run = cli.Run(cli.Fast("data.valid_fraction=0.2", "epochs=6", "patience=2", "optim.lr=1e-30"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("stopped early", run.Stdout);
        Assert.Contains("early stopping: valid.accuracy has not improved for 2 epochs", run.Stderr);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(cli.XpFolder(Sig(run)), "history.json")))!.AsArray();
        Assert.Equal(3, history.Count); // best at epoch 1, then two epochs without improvement
        Assert.NotNull(history[0]!["valid"]);
        Assert.Contains("train 800, valid 200, test 1000", run.Stderr);
    }

    [Fact]
    public void MultirunTrainsTheCartesianProduct()
    {
        var run = cli.Run(cli.Fast("epochs=1", "-m", "optim.lr=0.1,0.05", "batch_size=32,64"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(4, Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Length);
        Assert.Equal(4, run.Stdout.Split('\n').Count(l => l.StartsWith("=== ")));
    }
}
