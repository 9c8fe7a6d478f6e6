using System.Text.Json.Nodes;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Training;
using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

/// <summary>The callback driven by a made-up sequence of trainer events; every file is read back by the independent reader.</summary>
public class TensorBoardCallbackTests
{
    const int Steps = 10, Epochs = 3, EveryN = 4;
    static readonly string[] EpochTags = ["train/loss", "train/accuracy", "valid/accuracy", "lr"];

    [Fact]
    public void AFitWritesHParamsEpochScalarsAndStepPoints()
    {
        using var tmp = new TempFolder();
        double before = Now();
        var fit = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        fit.Start(new History());
        for (int e = 1; e <= Epochs; e++) fit.Epoch(e);
        fit.End();
        double after = Now();

        var records = IndependentReader.Records(Tb(tmp));
        Assert.Single(Directory.GetFiles(Tb(tmp)));
        Assert.Equal("brain.Event:2", (string?)records[0]["file_version"]);
        var start = records[1];
        Assert.Equal(HParamsMessages.SessionStartTag, (string?)start["tag"]);
        var hparams = start["hparams"]!["hparams"]!.AsObject();
        Assert.Equal("mlp", (string?)hparams["model"]);
        Assert.Equal(0.01, (double)hparams["optim.lr"]!);
        Assert.True((bool)hparams["flag"]!);
        Assert.Equal("[1, 2, 3]", (string?)hparams["complex.a"]);
        Assert.InRange((double)start["hparams"]!["start_time_secs"]!, before, after);
        var end = records[^1];
        Assert.Equal(HParamsMessages.SessionEndTag, (string?)end["tag"]);
        Assert.Equal("STATUS_SUCCESS", (string?)end["hparams"]!["status"]);

        foreach (var tag in EpochTags)
            Assert.Equal([1L, 2L, 3L], Points(records, tag).Select(p => p.Step));
        Assert.Equal(fit.History.Epochs.Select(e => (float)History.Metric(e, "train.loss")!.Value),
            Points(records, "train/loss").Select(p => (float)p.Value));
        var expectedSteps = Enumerable.Range(1, Epochs * Steps / EveryN).Select(i => (long)i * EveryN).ToList();
        Assert.Equal(expectedSteps, Points(records, XpEventLog.LossTag).Select(p => p.Step));
        // Each point is the mean loss of the N batches that end at it.
        var losses = Enumerable.Range(1, Epochs).SelectMany(e => Enumerable.Range(1, Steps).Select(s => fit.Loss(e, s))).ToList();
        Assert.Equal(expectedSteps.Select(g => (float)losses.Skip((int)g - EveryN).Take(EveryN).Average()),
            Points(records, XpEventLog.LossTag).Select(p => (float)p.Value));
        Assert.Equal(expectedSteps.Select(g => (float)FakeFit.Lr((int)((g - 1) / Steps) + 1)),
            Points(records, XpEventLog.LrTag).Select(p => (float)p.Value));

        var walls = records.Select(r => (double)r["wall_time"]!).ToList();
        Assert.All(walls, w => Assert.InRange(w, before, after));
        Assert.Equal(walls.Order(), walls);
        Assert.Contains(walls, w => w != Math.Floor(w)); // sub-second precision
    }

    [Fact]
    public void AResumeAfterAKillMidEpochNeitherDuplicatesNorLosesPoints()
    {
        using var tmp = new TempFolder();
        // First fit: epochs 1-2 checkpointed, killed in epoch 3 after 7 batches (points at steps 24 and 28 are past
        // the checkpoint). Its file is flushed as far as the kill, and ends with a half-written record.
        var first = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        first.Start(new History());
        first.Epoch(1);
        first.Epoch(2);
        first.Epoch(3, steps: 7);
        var firstStart = StartTime(IndependentReader.Records(Tb(tmp)));
        first.Kill();

        var second = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN), run: 100);
        second.Start(new History(first.History.Epochs.Take(2)));
        second.Epoch(3);
        second.End();

        var records = IndependentReader.Records(Tb(tmp));
        Assert.Single(Directory.GetFiles(Tb(tmp)));
        Assert.Single(records, r => (string?)r["tag"] == HParamsMessages.SessionStartTag);
        Assert.Equal(firstStart, StartTime(records));
        var end = Assert.Single(records, r => (string?)r["tag"] == HParamsMessages.SessionEndTag);
        Assert.Equal("STATUS_SUCCESS", (string?)end["hparams"]!["status"]);
        foreach (var tag in EpochTags) Assert.Equal([1L, 2L, 3L], Points(records, tag).Select(p => p.Step));
        Assert.Equal([1f, 0.5f, (float)(100 + 1.0 / 3)], Points(records, "train/loss").Select(p => (float)p.Value));
        Assert.Equal([4L, 8, 12, 16, 20, 24, 28], Points(records, XpEventLog.LossTag).Select(p => p.Step));
        Assert.All(Points(records, XpEventLog.LossTag), p => Assert.True(p.Step <= 20 ? p.Value < 100 : p.Value > 100,
            $"step {p.Step}: {p.Value} comes from the wrong fit"));
    }

    [Fact]
    public void AnEpochCheckpointedButNotLoggedIsRecoveredFromTheHistory()
    {
        using var tmp = new TempFolder();
        var first = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        first.Start(new History());
        first.Epoch(1);
        first.Epoch(2, callEpochEnded: false); // killed between the checkpoint and the callback
        first.Kill();

        var second = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN), run: 100);
        second.Start(first.History);
        second.Epoch(3);
        second.End();

        var records = IndependentReader.Records(Tb(tmp));
        foreach (var tag in EpochTags) Assert.Equal([1L, 2L, 3L], Points(records, tag).Select(p => p.Step));
        Assert.Equal((float)History.Metric(first.History.Epochs[1], "valid.accuracy")!.Value,
            (float)Points(records, "valid/accuracy")[1].Value);
    }

    [Fact]
    public void RunningAFinishedXpAgainAddsNoPoint()
    {
        using var tmp = new TempFolder();
        var first = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        first.Start(new History());
        for (int e = 1; e <= Epochs; e++) first.Epoch(e);
        first.End();
        var once = IndependentReader.Records(Tb(tmp)).Where(r => r["tag"] is not null).ToList();

        var again = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        again.Start(first.History);
        again.End();
        var twice = IndependentReader.Records(Tb(tmp)).Where(r => r["tag"] is not null).ToList();
        // Same records, the session end aside (a new one, later).
        Assert.Equal(once.Count, twice.Count);
        Assert.All(once.SkipLast(1).Zip(twice), p => Assert.True(JsonNode.DeepEquals(p.First, p.Second), $"{p.First} != {p.Second}"));
        Assert.Equal(HParamsMessages.SessionEndTag, (string?)twice[^1]["tag"]);
    }

    [Fact]
    public void AFailedFitEndsItsSessionWithFailure()
    {
        using var tmp = new TempFolder();
        var fit = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN));
        fit.Start(new History());
        fit.Epoch(1);
        fit.End(new InvalidOperationException("diverged"));
        var end = IndependentReader.Records(Tb(tmp))[^1];
        Assert.Equal("STATUS_FAILURE", (string?)end["hparams"]!["status"]);
    }

    [Fact]
    public void OtherRanksAndADisabledCallbackWriteNothing()
    {
        using var tmp = new TempFolder();
        var rank1 = new FakeFit(tmp.Path, Steps, Epochs, FakeFit.NewCallback(EveryN), process: new ProcessContext(1, 2, new NoCollectives()));
        rank1.Start(new History());
        rank1.Epoch(1);
        rank1.End();
        var disabled = new FakeFit(tmp.Path, Steps, Epochs, new TensorBoardCallback(new TensorBoardOptions(Enabled: false), new Dictionary<string, object?>()));
        disabled.Start(new History());
        disabled.Epoch(1);
        disabled.End();
        Assert.False(Directory.Exists(Tb(tmp)));

        var e = Assert.Throws<ArgumentException>(() => new TensorBoardCallback(new TensorBoardOptions(EveryNSteps: -1), new Dictionary<string, object?>()));
        Assert.Contains("loom.tensorboard.every_n_steps", e.Message);
    }

    static string Tb(TempFolder tmp) => tmp.Sub(TensorBoardOptions.FolderName);

    static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;

    static double StartTime(List<JsonObject> records) =>
        (double)records.Single(r => (string?)r["tag"] == HParamsMessages.SessionStartTag)["hparams"]!["start_time_secs"]!;

    static List<(long Step, double Value)> Points(List<JsonObject> records, string tag) =>
        records.Where(r => (string?)r["tag"] == tag).Select(r => ((long)r["step"]!, (double)r["value"]!)).ToList();
}

/// <summary>Rank 1 of 2 needs collectives to exist; the callback never calls them.</summary>
sealed class NoCollectives : ICollectives
{
    public int Rank => 1;
    public int WorldSize => 2;
    public void Broadcast(TorchSharp.torch.Tensor tensor, int root = 0) => throw new NotSupportedException();
    public void AllReduceSum(TorchSharp.torch.Tensor tensor) => throw new NotSupportedException();
    public void AllReduceSum(Span<double> values) => throw new NotSupportedException();
    public void Barrier() => throw new NotSupportedException();
    public void Dispose() { }
}
