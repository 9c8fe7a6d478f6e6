using System.Text.Json.Nodes;
using Loom.Logging;
using Loom.Tasks;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// The task seam with a task that is not image classification: regression of y = 2x + 1 from in-memory
/// tensors, a custom metric (mean absolute error, minimized) and a derived one. Checks what the trainer
/// owns for every task: history, metric averaging, monitor direction, callbacks and their order.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class TaskSeamTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("loom-seam-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    sealed class LineTask : LoomTask<LineSettings>
    {
        public override IReadOnlyList<Experiments.MetricSpec> DeclaredMetrics => [Experiments.MetricSpec.Min("mae"), Experiments.MetricSpec.Min("rmse")];
        public override string MonitorMetric => "mae";

        public override TaskData LoadData() => LineData.Load(Settings.Samples);

        public override nn.Module CreateModel(TaskData data) => nn.Linear(1, 1);

        public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
        {
            var prediction = ((nn.Module<Tensor, Tensor>)model).forward(batch.Input);
            metrics.Add("mae", (prediction - batch.Target).abs().sum().ToDouble(), batch.Size);
            return nn.functional.mse_loss(prediction, batch.Target);
        }

        public override void CompleteEpochMetrics(string split, IDictionary<string, double> means) => means["rmse"] = Math.Sqrt(means["loss"]);
    }

    sealed class Recorder : ITrainingCallback
    {
        public readonly List<string> Events = [];
        public void FitStarted(FitStart fit) => Events.Add($"start {fit.StepsPerEpoch}");
        public void StepEnded(StepEnd step) => Events.Add($"step {step.Epoch}.{step.Step}");
        public void EpochEnded(EpochEnd epoch) => Events.Add($"epoch {epoch.Epoch}");
        public void FitEnded(FitEnd fit) => Events.Add(fit.Error is null ? "end" : "failed");
    }

    Trainer NewTrainer(ITrainingCallback callback, int epochs = 3, double lr = 0.3)
    {
        torch.manual_seed(1);
        var task = new LineTask().WithSettings(new LineSettings());
        return new Trainer((LineTask)task, new TrainerOptions
        {
            XpFolder = folder, Train = new TrainSettings { Epochs = epochs, BatchSize = 64, Progress = "none", Threads = 1 },
            Optim = new OptimSettings { Name = "sgd", Lr = lr },
            Sink = new LogSink(new StringWriter(), colors: false), Callbacks = [callback],
        });
    }

    [Fact]
    public void AnyTaskGetsHistoryMetricsMonitorAndCallbacks()
    {
        var recorder = new Recorder();
        var report = NewTrainer(recorder).Run();

        Assert.Equal("valid.mae", report.Monitor);
        Assert.Equal(["start 4", "step 1.1", "step 1.2", "step 1.3", "step 1.4", "epoch 1"], recorder.Events.Take(6));
        Assert.Equal("end", recorder.Events[^1]);
        Assert.Equal(3 * 4 + 3 + 2, recorder.Events.Count);

        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.Equal(3, history.Count);
        var valid = history[2]!["valid"]!.AsObject();
        Assert.Equal(["loss", "mae", "rmse"], valid.Select(kv => kv.Key));
        Assert.Equal(Math.Sqrt(valid["loss"]!.GetValue<double>()), valid["rmse"]!.GetValue<double>(), 12);
        // mae is minimized: the best value reported is the smallest of the history.
        double smallest = history.Min(e => e!["valid"]!["mae"]!.GetValue<double>());
        Assert.Equal(smallest, report.BestValid);
        Assert.True(history[2]!["valid"]!["mae"]!.GetValue<double>() < history[0]!["valid"]!["mae"]!.GetValue<double>(), "the line should be learned");
    }

    [Fact]
    public void ADivergedRunEndsWithItsOwnExceptionAndTellsTheCallbacks()
    {
        var recorder = new Recorder();
        Assert.Throws<DivergedException>(() => NewTrainer(recorder, lr: 1e30).Run());
        Assert.Equal("failed", recorder.Events[^1]);
    }

    [Fact]
    public void ResumingContinuesFromTheCheckpointForAnyTask()
    {
        NewTrainer(new Recorder(), epochs: 2).Run();
        var recorder = new Recorder();
        var report = NewTrainer(recorder, epochs: 3).Run();
        Assert.Equal(2, report.ResumedFromEpoch);
        Assert.Equal(3, report.Epochs);
        Assert.Equal(["start 4", "step 3.1"], recorder.Events.Take(2));
    }
}
