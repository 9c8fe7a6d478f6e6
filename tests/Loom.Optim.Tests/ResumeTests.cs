using System.Text.Json.Nodes;
using Loom.IO;
using Loom.Logging;
using Loom.Data;
using Loom.Nn;
using Loom.Optim.Schedules;
using Loom.Training;
using Loom.Vision;
using TorchSharp;

namespace Loom.Optim.Tests;

/// <summary>
/// A run killed after an epoch (mid-schedule, with accumulation groups that do not divide the epoch) and
/// resumed from its checkpoint ends with the same history (LRs included) and the same weights, bit for bit,
/// as an uninterrupted run. Real Fashion-MNIST, first 400 samples: 13 batches of 32 per epoch.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-optim-resume-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    sealed class Crash : Exception;

    public static TheoryData<string, OptimSettings, ScheduleSettings> Setups() => new()
    {
        { "sgd cosine, warm-up in steps, accumulate 3, clip norm",
            new OptimSettings { Name = "sgd", Lr = 0.05, WeightDecay = 1e-3, Accumulate = 3, ClipGradNorm = 1.0, ScaleLr = "linear", ReferenceBatchSize = 64 }.WithOptions(new SgdOptions { Momentum = 0.9, Nesterov = true }),
            new ScheduleSettings { Name = "cosine", WarmupSteps = 7 } },
        { "adam plateau, warm-up in epochs, accumulate 2, clip value",
            new OptimSettings { Name = "adam", Lr = 3e-3, Accumulate = 2, ClipGradValue = 0.05 }.WithOptions(new AdamOptions { Amsgrad = true }),
            new ScheduleSettings { Name = "plateau", WarmupEpochs = 2 }.WithOptions(new ReduceLrOnPlateauOptions { Patience = 0, Factor = 0.5, Threshold = 0.5 }) },
        { "adamw cosine, two parameter groups (no decay for biases), warm-up in epochs",
            new OptimSettings { Name = "adamw", Lr = 3e-3, WeightDecay = 0.05, NoDecayNormAndBias = true },
            new ScheduleSettings { Name = "cosine", WarmupEpochs = 1 } },
    };

    sealed class CrashAfter(int epoch) : ITrainingCallback
    {
        public void EpochEnded(EpochEnd e) { if (e.Epoch == epoch) throw new Crash(); }
    }

    static Trainer NewTrainer(string folder, OptimSettings optim, ScheduleSettings schedule, params ITrainingCallback[] callbacks) =>
        NewTrainer(folder, optim, schedule, null, callbacks);

    static Trainer NewTrainer(string folder, OptimSettings optim, ScheduleSettings schedule, Func<bool>? stop, params ITrainingCallback[] callbacks)
    {
        torch.manual_seed(7); // the app's job, per process (the trainer never changes process-wide state)
        var task = new ImageClassificationTask().WithSettings(new ImageClassificationSettings
        {
            Model = new ModelSettings { Name = "mlp", Hidden = 32, Layers = 1, Dropout = 0.1 },
            Data = new DataSettings { Limit = 400 },
        });
        return new Trainer((ImageClassificationTask)task, new TrainerOptions
        {
            XpFolder = folder, Train = new TrainSettings { Epochs = 4, Progress = "none", Seed = 7 }, Optim = optim, Schedule = schedule,
            Sink = new LogSink(new StringWriter(), colors: false), Callbacks = callbacks, StopRequested = stop,
        });
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void ResumedRunEqualsUninterrupted(string label, OptimSettings optim, ScheduleSettings schedule)
    {
        string straight = Path.Combine(root, "straight"), killed = Path.Combine(root, "killed");
        NewTrainer(straight, optim, schedule).Run();

        var first = NewTrainer(killed, optim, schedule, new CrashAfter(2));
        Assert.Throws<Crash>(() => first.Run());
        var report = NewTrainer(killed, optim, schedule).Run();
        Assert.Equal(2, report.ResumedFromEpoch);

        var a = Comparable(straight);
        var b = Comparable(killed);
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        var lrs = a.Select(e => e!["lr"]!.GetValue<double>()).ToArray();
        Assert.True(lrs.Distinct().Count() > 1, $"{label}: the LR never changed ({string.Join(", ", lrs)})");
        Assert.Equal(Section(straight, "model"), Section(killed, "model"));
        Assert.Equal(Section(straight, "optimizer"), Section(killed, "optimizer"));
        Assert.Equal(Section(straight, "meta"), Section(killed, "meta"));
    }

    // The history without its timings.
    static JsonArray Comparable(string folder)
    {
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        foreach (var e in history) { e!.AsObject().Remove("duration"); e.AsObject().Remove("samples_per_second"); }
        Assert.Equal(4, history.Count);
        return history;
    }

    static byte[] Section(string folder, string name) => SectionFile.Read(Path.Combine(folder, "checkpoint.last"))[name].ToArray();

    /// <summary>Stops after the 23rd batch of epoch 2 once (as Slurm's USR1 would), then says "go on".</summary>
    sealed class StopOnce(int epoch, int batch) : ITrainingCallback
    {
        public bool Stop { get; private set; }
        bool fired;
        public void StepEnded(StepEnd s) { if (!fired && s.Epoch == epoch && s.Step >= batch) { Stop = fired = true; } }
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void AMidEpochStopResumesToTheSameWeightsAsAnUninterruptedRun(string label, OptimSettings optim, ScheduleSettings schedule)
    {
        string straight = Path.Combine(root, "straight"), stopped = Path.Combine(root, "stopped");
        NewTrainer(straight, optim, schedule).Run();

        var stopper = new StopOnce(epoch: 2, batch: 7);
        var e = Assert.Throws<FitInterruptedException>(() => NewTrainer(stopped, optim, schedule, () => stopper.Stop, stopper).Run());
        Assert.Equal(2, e.Epoch);
        Assert.True(e.Batch >= 7 && e.Batch % optim.Accumulate == 0, $"{label}: stopped at batch {e.Batch}, inside an accumulation group");
        NewTrainer(stopped, optim, schedule).Run();

        Assert.Equal(Comparable(straight).ToJsonString(), Comparable(stopped).ToJsonString());
        Assert.Equal(Section(straight, "model"), Section(stopped, "model"));
        Assert.Equal(Section(straight, "optimizer"), Section(stopped, "optimizer"));
    }

    [Fact]
    public void HistoryLogsTheScheduledLr()
    {
        string folder = Path.Combine(root, "step");
        NewTrainer(folder, new OptimSettings { Lr = 0.1 }, new ScheduleSettings { Name = "step" }.WithOptions(new StepLrOptions { StepSize = 1, Gamma = 0.5 })).Run();
        var lrs = Comparable(folder).Select(e => e!["lr"]!.GetValue<double>());
        Assert.Equal([0.1, 0.05, 0.025, 0.0125], lrs);
    }

    [Fact]
    public void DivergenceStopsWithAnErrorNamingTheKeys()
    {
        var trainer = NewTrainer(Path.Combine(root, "nan"), new OptimSettings { Lr = 1e12 }, new ScheduleSettings());
        var e = Assert.Throws<DivergedException>(() => trainer.Run());
        Assert.Matches(@"^epoch 1, step \d+: the training loss is (NaN|inf|-inf)", e.Message); // at the step, not at the end of the epoch
        Assert.Contains("optim.lr", e.Message);
    }
}
