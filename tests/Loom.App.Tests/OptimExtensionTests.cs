using System.Text.Json.Nodes;
using Loom.Logging;
using Loom.Optim;
using Loom.Optim.Schedules;
using Loom.Tasks;
using Loom.Training;
using TorchSharp;
using TorchSharp.Modules;
using static Loom.App.Tests.InProcessApp;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// docs/library.md's optimizer, schedule and parameter-group examples, run for real: an app registers RMSprop and a
/// polynomial schedule on its builder and trains with them from its conf (their keys bound to their records, a bad
/// value refused with exit 2); a task's own parameter groups reach the optimizer with their LR scale.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class OptimExtensionTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-optim-ext-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    public sealed record RmsPropOptions
    {
        public double Alpha { get; init; } = 0.99;
        public double Eps { get; init; } = 1e-8;
        public double Momentum { get; init; }
    }

    public sealed class RmsPropSpec() : OptimizerSpec<RmsPropOptions>("rmsprop")
    {
        public override void Validate(OptimSettings s, RmsPropOptions o) =>
            SettingCheck.Require(o.Alpha is > 0 and < 1, "optim.alpha", o.Alpha, "expected a number in (0, 1)");

        // One TorchSharp param group per Loom group, with the group's LR and weight decay.
        public override OptimizerHelper Create(OptimSettings s, RmsPropOptions o, IReadOnlyList<ParameterGroup> groups) =>
            new RMSProp(groups.Select(g => new RMSProp.ParamGroup(g.Parameters, new RMSProp.Options { LearningRate = g.LrUnder(s), weight_decay = g.WeightDecayUnder(s) })),
                s.Lr, o.Alpha, o.Eps, s.WeightDecay, o.Momentum);
    }

    public sealed record PolynomialOptions
    {
        public int? TotalEpochs { get; init; } // null: the run's epochs
        public double Power { get; init; } = 1;
    }

    /// <summary>torch.optim.lr_scheduler.PolynomialLR: lr × (1 − min(epoch, total) / total)^power.</summary>
    public sealed class PolynomialLr(double baseLr, int total, double power) : LrSchedule(baseLr)
    {
        public override double At(int epoch) => BaseLr * Math.Pow(1 - (double)Math.Min(epoch, total) / total, power);
    }

    public sealed class PolynomialSpec() : ScheduleSpec<PolynomialOptions>("polynomial")
    {
        public override void Validate(ScheduleSettings s, PolynomialOptions o, int epochs) =>
            SettingCheck.Require(o.Power > 0, "schedule.power", o.Power, "expected a positive number");

        public override LrSchedule Create(PolynomialOptions o, double baseLr, int epochs, bool maximize) =>
            new PolynomialLr(baseLr, o.TotalEpochs ?? epochs, o.Power);
    }

    /// <summary>y = 2x + 1 with a linear model: the loss only.</summary>
    public sealed class LineTask : LoomTask<LineSettings>
    {
        public override TaskData LoadData() => LineData.Load(Settings.Samples);

        public override nn.Module CreateModel(TaskData data) => nn.Linear(1, 1);

        public override Tensor Step(nn.Module model, Batch batch, Metrics metrics) =>
            nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).forward(batch.Input), batch.Target);
    }

    string WriteConf(string optimAndSchedule)
    {
        string conf = Path.Combine(root, "conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "config.yaml"), $"loom:\n  outputs: {Path.Combine(root, "outputs")}\n" + "epochs: 2\nbatch_size: 64\nthreads: 1\nadaptive_threads: false\nprogress: none\nsamples: 256\n" + optimAndSchedule);
        return conf;
    }

    [Fact]
    public void AnAppTrainsWithTheOptimizerAndScheduleItRegistered()
    {
        string conf = WriteConf("optim:\n  name: rmsprop\n  lr: 0.01\n  alpha: 0.9\nschedule:\n  name: polynomial\n  power: 2\n");
        string outputs = Path.Combine(root, "outputs");
        torch.manual_seed(3);
        Action<LoomAppBuilder> registered = app => app.Task<LineTask>().Optimizer(new RmsPropSpec()).Schedule(new PolynomialSpec());
        var (exit, errors) = RunApp(registered, "train", "--conf", conf);
        Assert.True(exit == 0, errors);

        string folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        var lrs = history.Select(e => e!["lr"]!.GetValue<double>()).ToArray();
        Assert.Equal([0.01, 0.0025], lrs, (a, b) => Math.Abs(a - b) < 1e-15); // 0.01 × (1 − e/2)²
        var losses = history.Select(e => e!["train"]!["loss"]!.GetValue<double>()).ToArray();
        Assert.True(losses[1] < losses[0], $"RMSprop must have trained: {string.Join(", ", losses)}");

        // The options' keys are checked as Loom's are: by the spec, and against the record.
        Assert.Equal((2, "optim.alpha=1.5: expected a number in (0, 1)"), Line(RunApp(registered, "info", "--conf", conf, "optim.alpha=1.5")));
        Assert.Equal((2, "optim.betas: not a setting of the rmsprop optimizer (only adam, adamw use it)"),
            Line(RunApp(registered, "info", "--conf", conf, "+optim.betas=[0.9, 0.99]"), cut: " (only adam, adamw use it)"));
        // Without the registration the name is unknown.
        Assert.Equal((2, "optim.name=rmsprop: unknown optimizer (expected one of sgd, adagrad, adam, adamw)"), Line(RunApp(app => app.Task<LineTask>(), "info", "--conf", conf)));
    }

    /// <summary>Two linear layers; the first as a body trained at <see cref="BodySettings.BodyLrScale"/> × the scheduled LR.</summary>
    public sealed record BodySettings
    {
        public int Samples { get; init; } = 256;
        public double BodyLrScale { get; init; } = 0.1;
    }

    public sealed class FineTuneTask : LoomTask<BodySettings>
    {
        public override TaskData LoadData() => LineData.Load(Settings.Samples);

        public override nn.Module CreateModel(TaskData data) => nn.Sequential(("body", nn.Linear(1, 8)), ("head", nn.Linear(8, 1)));

        public override IReadOnlyList<ParameterGroup> ParameterGroups(nn.Module model, OptimSettings optim) =>
        [
            new(model.named_parameters().Where(p => p.name.StartsWith("head.")).Select(p => p.parameter).ToList()),
            new(model.named_parameters().Where(p => p.name.StartsWith("body.")).Select(p => p.parameter).ToList()) { LrScale = Settings.BodyLrScale, WeightDecay = 0 },
        ];

        public override Tensor Step(nn.Module model, Batch batch, Metrics metrics) =>
            nn.functional.mse_loss(((nn.Module<Tensor, Tensor>)model).forward(batch.Input), batch.Target);
    }

    /// <summary>The body's weights after one epoch at <paramref name="bodyLrScale"/>, and the model's before training.</summary>
    float[] BodyAfterOneEpoch(double bodyLrScale, string name, out float[] before)
    {
        torch.manual_seed(5);
        var task = new FineTuneTask().WithSettings(new BodySettings { BodyLrScale = bodyLrScale });
        float[]? initial = null, final = null;
        var probe = new BodyProbe(w => initial = w, w => final = w);
        new Trainer((FineTuneTask)task, new TrainerOptions
        {
            XpFolder = Path.Combine(root, name), Train = new TrainSettings { Epochs = 1, BatchSize = 32, Progress = "none", Threads = 1 },
            Optim = new OptimSettings { Name = "sgd", Lr = 0.05, WeightDecay = 1e-3 }, Schedule = new ScheduleSettings { Name = "cosine", WarmupSteps = 3 },
            Sink = new LogSink(new StringWriter(), colors: false), Callbacks = [probe],
        }).Run();
        before = initial!;
        return final!;
    }

    sealed class BodyProbe(Action<float[]> started, Action<float[]> ended) : ITrainingCallback
    {
        Parameter? body;
        public void FitStarted(FitStart f)
        {
            body = f.Model.named_parameters().First(p => p.name == "body.weight").parameter;
            started(body.data<float>().ToArray());
        }
        public void FitEnded(FitEnd f) => ended(body!.data<float>().ToArray());
    }

    [Fact]
    public void ATasksParameterGroupsReachTheOptimizerWithTheirLrScale()
    {
        var frozen = BodyAfterOneEpoch(0, "frozen", out var start);
        Assert.Equal(start, frozen); // scale 0: the schedule never gives the body an LR (and SGD's decay is scaled by it)
        var slow = BodyAfterOneEpoch(0.1, "slow", out var start2);
        var full = BodyAfterOneEpoch(1, "full", out var start3);
        Assert.Equal(start, start2);
        Assert.Equal(start, start3);
        double Moved(float[] w) => w.Zip(start).Sum(p => Math.Abs(p.First - p.Second));
        Assert.True(Moved(slow) > 0 && Moved(slow) < 0.5 * Moved(full), $"the body at 0.1× moved {Moved(slow)}, at 1× {Moved(full)}");
    }
}
