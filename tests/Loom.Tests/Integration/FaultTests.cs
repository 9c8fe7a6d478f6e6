using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Loom.Tests.Integration;

/// <summary>
/// Faults met while training, through the real CLI on real Fashion-MNIST: a loss that becomes NaN in epoch 2 stops
/// at that step (exit 3, the epoch and step named) and leaves epoch 1's checkpoint and history byte for byte as they
/// were, `optim.nonfinite=skip` leaves bad steps out up to `optim.max_skips`, and with `-d 2` both ranks stop together.
/// </summary>
public sealed class FaultTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    // SGD at lr 0.1 for epoch 1, then × 1e30 each epoch: the first step of epoch 2 blows the weights up, so the
    // loss of its second step is NaN (a finite epoch 1, a non-finite epoch 2, with no test-only hook).
    static readonly string[] BlowsUpInEpoch2 = ["schedule=step", "schedule.step_size=1", "schedule.gamma=1e30"];

    string[] Train(params string[] more) =>
        ["train", "data.limit=300", "epochs=3", "progress=none", "model=mlp", "model.hidden=16", "threads=1", $"loom.outputs={cli.Outputs}", .. BlowsUpInEpoch2, .. more];

    string Folder() => Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();

    static string ErrorLine(LoomCli.Result r) => r.Stderr.Split('\n').Single(l => l.StartsWith("loom: error:", StringComparison.Ordinal));

    [Fact]
    public void ANaNLossStopsAtItsStepAndLeavesThePreviousEpochUntouched()
    {
        var first = cli.Run(Train());
        Assert.Equal(3, first.ExitCode);
        Assert.StartsWith("loom: error: epoch 2, step 2: the training loss is NaN", ErrorLine(first));
        Assert.Contains("optim.lr", ErrorLine(first));
        string folder = Folder();
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.Single(history); // no NaN epoch appended
        Assert.True(double.IsFinite(history[0]!["train"]!["loss"]!.GetValue<double>()));
        var checkpoint = File.ReadAllBytes(Path.Combine(folder, "checkpoint.last"));
        var historyBytes = File.ReadAllBytes(Path.Combine(folder, "history.json"));

        // Resuming replays epoch 2 from epoch 1's checkpoint and diverges at the same step, writing nothing.
        var again = cli.Run(Train());
        Assert.Equal(3, again.ExitCode);
        Assert.Contains("resuming from epoch 1", again.Stdout + again.Stderr);
        Assert.Equal(ErrorLine(first), ErrorLine(again));
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(folder, "checkpoint.last")));
        Assert.Equal(historyBytes, File.ReadAllBytes(Path.Combine(folder, "history.json")));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));
    }

    [Fact]
    public void SkipLeavesBadStepsOutUpToTheLimitThenStops()
    {
        var r = cli.Run(Train("optim.nonfinite=skip", "optim.max_skips=3"));
        Assert.Equal(3, r.ExitCode);
        string output = r.Stdout + r.Stderr;
        for (int step = 2; step <= 4; step++)
            Assert.Contains($"epoch 2, step {step}: the training loss is NaN: step left out", output);
        Assert.StartsWith("loom: error: epoch 2, step 5: the training loss is NaN, more than optim.max_skips=3", ErrorLine(r));
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder(), "history.json")))!.AsArray();
        Assert.Equal(0, history.Single()!["train"]!["skipped_steps"]!.GetValue<double>()); // recorded per epoch
    }

    [Fact]
    public void TheNewKeysAreValidatedAndLeaveExistingSignaturesAlone()
    {
        var bad = cli.Run(Train("optim.nonfinite=ignore"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("optim.nonfinite=ignore: expected one of stop, skip", ErrorLine(bad));
        Assert.False(Directory.Exists(cli.Outputs));
        // The signatures from before the keys existed (main's conf without them), and a key set to its default is no change.
        Assert.Equal("5d772d67", Sig("data.limit=300"));
        Assert.Equal("89d980b2", Sig("optim=adam", "optim.lr=0.01"));
        Assert.Equal("5d772d67", Sig("data.limit=300", "optim.nonfinite=stop", "optim.max_skips=10"));
    }

    string Sig(params string[] overrides)
    {
        var r = cli.Run(["info", .. overrides]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return System.Text.RegularExpressions.Regex.Match(r.Stdout, @"sig:\s+([0-9a-f]{8})").Groups[1].Value;
    }

    [Fact]
    public void WithTwoRanksBothStopAtTheSameStepWithinSeconds()
    {
        var clock = Stopwatch.StartNew();
        var r = cli.Run(TimeSpan.FromMinutes(2), ["train", "-d", "2", .. Train()[1..]]);
        Assert.Equal(3, r.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        string output = r.Stdout + r.Stderr;
        Assert.Contains("loom (rank 0): error: epoch 2, step 2: the training loss is NaN", output);
        string folder = Folder();
        Assert.Contains("loom (rank 1): error: epoch 2, step 2: the training loss is NaN", output + File.ReadAllText(Path.Combine(folder, "worker_1.log")));
        Assert.Single(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray());
    }

    [Theory]
    [InlineData("~epochs", "~epochs: a required key cannot be removed")]
    [InlineData("~model", "~model: a required key cannot be removed")]
    [InlineData("~data.limit", "~data.limit: a required key cannot be removed")]
    [InlineData("~optim", "~optim: Loom trains with the optim group and it cannot be removed")]
    [InlineData("optim=null", "override 'optim=null': a group option must be a name")]
    [InlineData("data=3", "override 'data=3': a group option must be a name")]
    [InlineData("loom.outputs=null", "loom.outputs=null: expected the folder that holds xps/")]
    public void ARemovedOrReplacedRequiredKeyStopsTrainAndInfoNamingIt(string culprit, string expected)
    {
        foreach (var command in new[] { "train", "info" })
        {
            var r = cli.Run(command, "data.limit=100", "epochs=1", $"loom.outputs={cli.Outputs}", culprit);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(expected, ErrorLine(r));
            Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
            Assert.False(Directory.Exists(cli.Outputs), $"{command} {culprit} created the outputs");
        }
    }

    [Fact]
    public void OutputsUnderAFileOrWhereNoFolderCanBeMadeStopBeforeAnythingIsCreated()
    {
        string file = Path.Combine(cli.WorkDir, "a-file");
        File.WriteAllText(file, "in the way");
        foreach (var (outputs, expected) in new[]
                 {
                     (file, $"loom.outputs={file}: {file} is a file, not a folder"),
                     (Path.Combine(file, "sub", "deeper"), $"{file} is a file, not a folder"),
                     ("/proc/loom-outputs", "loom.outputs=/proc/loom-outputs: cannot create folders in /proc"), // root ignores modes; /proc refuses even root
                 })
            foreach (var command in new[] { "train", "info" })
            {
                var r = cli.Run(command, "data.limit=100", "epochs=1", $"loom.outputs={outputs}");
                Assert.Equal(2, r.ExitCode);
                Assert.Contains(expected, ErrorLine(r));
            }
        Assert.Equal("in the way", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(cli.WorkDir)); // no probe left behind
    }

    [Fact]
    public void ConfNamingAFileIsOneLine()
    {
        string file = Path.Combine(cli.WorkDir, "config.yaml");
        File.WriteAllText(file, "epochs: 1\n");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = cli.WorkDir, RedirectStandardOutput = true, RedirectStandardError = true };
        var start = cli.StartInfo("train");
        info.ArgumentList.Add(start.ArgumentList[0]);
        foreach (var a in new[] { "train", "--conf", file }) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains($"--conf={file}", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
