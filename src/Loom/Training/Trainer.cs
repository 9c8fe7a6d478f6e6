using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Data;
using Loom.Experiments;
using Loom.Logging;
using Loom.Nn;
using Loom.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// The training loop of one XP (the lecture's `basic/train.py`, made robust): epochs of train then
/// valid/test, averaged metrics, `history.json`, a checkpoint after every epoch, automatic resume from the
/// newest valid checkpoint, best checkpoint and early stopping on the monitored metric.
/// </summary>
public sealed class Trainer
{
    readonly string folder;
    readonly TrainSettings train;
    readonly ModelSettings modelSettings;
    readonly OptimSettings optimSettings;
    readonly DataSettings dataSettings;
    readonly ScheduleSettings scheduleSettings;
    readonly string configYaml;
    readonly Logger log;
    readonly Checkpointer checkpointer;

    public Trainer(string xpFolder, TrainSettings train, ModelSettings model, OptimSettings optim, DataSettings data,
        string configYaml, LogSink sink, ScheduleSettings? schedule = null)
    {
        folder = xpFolder;
        this.train = train;
        modelSettings = model;
        optimSettings = optim;
        dataSettings = data;
        scheduleSettings = schedule ?? new ScheduleSettings();
        this.configYaml = configYaml;
        log = sink.For("train");
        checkpointer = new Checkpointer(folder, log);
    }

    /// <summary>Called after each epoch with its history entry (used by tests to kill a run at a chosen point).</summary>
    public Action<JsonObject>? EpochEnded { get; set; }

    public TrainReport Run()
    {
        torch.set_num_threads(train.Threads);
        torch.manual_seed(train.Seed);
        var device = new Device(train.Device);

        using var data = DataFactory.Load(dataSettings);
        var model = ModelFactory.Create(modelSettings, data.Channels, data.Height, data.Width, data.Classes).to(device);
        var parameters = model.parameters().ToList();
        var optimizer = OptimizerFactory.Create(optimSettings, parameters);
        var monitor = Monitor.For(train.Monitor, data.Valid is not null);
        var lr = LrController.Create(scheduleSettings, optimSettings, train.BatchSize, train.Epochs, monitor.Maximize);
        var stepper = new GradientStepper(optimizer, parameters, optimSettings, lr);

        var history = new History();
        var latest = checkpointer.LoadLatest();
        if (latest is not null)
        {
            JsonObject state;
            (history, state) = TrainingSnapshot.Restore(latest, model, optimizer, checkpointer.LastPath);
            lr.Restore(state["lr_schedule"] as JsonObject);
            model.to(device);
            history.Save(folder); // the checkpoint is the truth: history.json may lag one epoch behind it
            log.Info($"resuming from epoch {history.Count}");
        }
        int resumedFrom = history.Count;
        long parameterCount = parameters.Sum(p => p.numel());
        log.Info($"model {modelSettings.Name} ({parameterCount:N0} parameters), optimizer {optimSettings.Name} lr {lr.At(history.Count):G6}, " +
                 $"train {data.Train.Count}{(data.Valid is null ? "" : $", valid {data.Valid.Count}")}, test {data.Test.Count}, batch {train.BatchSize}");

        var (best, since) = monitor.Scan(history);
        bool stoppedEarly = train.Patience > 0 && since >= train.Patience && history.Count > 0;
        double trainSeconds = 0;
        long trainSamples = 0;
        for (int epoch = history.Count + 1; epoch <= train.Epochs && !stoppedEarly; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var trainMetrics = TrainEpoch(model, stepper, data.Train, device, epoch);
            double trainTime = clock.Elapsed.TotalSeconds;
            // A NaN/infinite loss cannot be written to history.json and will not recover: say why, in config terms.
            if (!double.IsFinite(trainMetrics.Loss))
                throw new ArgumentException($"epoch {epoch}: the training loss is {trainMetrics.Loss} (diverged): lower optim.lr, " +
                                            "add a warm-up (schedule.warmup_epochs) or clip the gradients (optim.clip_grad_norm)");
            var entry = new JsonObject { ["epoch"] = epoch, ["train"] = ToJson(trainMetrics) };
            if (data.Valid is not null) entry["valid"] = ToJson(Evaluate(model, data.Valid, device, "valid"));
            entry["test"] = ToJson(Evaluate(model, data.Test, device, "test"));
            entry["lr"] = lr.Current;
            entry["duration"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            entry["samples_per_second"] = Math.Round(data.Train.Count / trainTime, 1);
            history.Add(entry);
            trainSeconds += trainTime;
            trainSamples += data.Train.Count;

            double current = History.Metric(entry, monitor.Path)
                ?? throw new ArgumentException($"monitor: no metric '{monitor.Path}' in the history (expected e.g. valid.accuracy or test.loss)");
            lr.EpochEnded(current);
            bool isBest = monitor.Improves(current, best);
            (best, since) = isBest ? (current, 0) : (best, since + 1);
            var extraState = new JsonObject { ["lr_schedule"] = lr.State() };
            checkpointer.Save(TrainingSnapshot.Capture(model, optimizer, history, configYaml, extraState), isBest);
            history.Save(folder);
            log.Info(Summary(entry) + (isBest ? " (best)" : ""));
            Loom.IO.CrashPoint.Hit("epoch.ended");
            EpochEnded?.Invoke(entry);
            if (train.Patience > 0 && since >= train.Patience)
            {
                log.Info($"early stopping: {monitor.Path} has not improved for {since} epochs (best {best:F4})");
                stoppedEarly = true;
            }
        }

        return new TrainReport(history.Count, monitor.Path, best,
            BestOf(history, "valid.accuracy"), BestOf(history, "test.accuracy"),
            history.Epochs.Select(e => (double?)e["duration"]?.GetValue<double>() ?? 0).DefaultIfEmpty().Average(),
            trainSeconds > 0 ? trainSamples / trainSeconds : 0, stoppedEarly, resumedFrom);
    }

    SplitMetrics TrainEpoch(nn.Module<Tensor, Tensor> model, GradientStepper stepper, InMemoryDataset dataset, Device device, int epoch)
    {
        model.train();
        var averager = new MetricAverager();
        int batches = dataset.BatchCount(train.BatchSize);
        var progress = NewProgress($"train {epoch}/{train.Epochs}", batches);
        stepper.BeginEpoch(epoch - 1, batches);
        int step = 0;
        foreach (var (images, labels) in dataset.ShuffledBatches(train.BatchSize, train.Seed, epoch))
        {
            using var scope = NewDisposeScope();
            using var batchImages = images; // gathered by the iterator, outside the scope: freed here, not by the GC
            using var batchLabels = labels;
            var x = images.to(device);
            var y = labels.to(device);
            var output = model.forward(x);
            var loss = nn.functional.cross_entropy(output, y);
            stepper.Backward(loss);
            averager.Add(loss.item<float>(), output.argmax(1).eq(y).sum().item<long>(), y.shape[0]);
            progress?.Update(++step, () => $"loss {averager.Loss:F4} acc {averager.Accuracy:F4}");
            Loom.IO.CrashPoint.Hit("train.step"); // `LOOM_CRASH_AT=train.step` times start-up to the first step (bench/startup)
        }
        progress?.Finish();
        return averager.Result();
    }

    SplitMetrics Evaluate(nn.Module<Tensor, Tensor> model, InMemoryDataset dataset, Device device, string split)
    {
        model.eval();
        var averager = new MetricAverager();
        using var noGrad = torch.no_grad();
        foreach (var (images, labels) in dataset.OrderedBatches(Math.Max(train.BatchSize, 256)))
        {
            using var scope = NewDisposeScope();
            using var batchImages = images; // views made by the iterator, outside the scope
            using var batchLabels = labels;
            var y = labels.to(device);
            var output = model.forward(images.to(device));
            var loss = nn.functional.cross_entropy(output, y);
            averager.Add(loss.item<float>(), output.argmax(1).eq(y).sum().item<long>(), y.shape[0]);
        }
        return averager.Result();
    }

    ProgressLine? NewProgress(string label, int steps) => train.Progress switch
    {
        "none" => null,
        "bar" => new ProgressLine(label, steps, train.BatchSize, interactive: true),
        "plain" => new ProgressLine(label, steps, train.BatchSize, interactive: false),
        _ => new ProgressLine(label, steps, train.BatchSize),
    };

    static JsonObject ToJson(SplitMetrics m) => new() { ["loss"] = m.Loss, ["accuracy"] = m.Accuracy };

    static double? BestOf(History history, string path) =>
        history.Epochs.Select(e => History.Metric(e, path)).Where(v => v is not null).Max();

    static string Summary(JsonObject entry)
    {
        var parts = new List<string> { $"epoch {entry["epoch"]}" };
        foreach (var split in new[] { "train", "valid", "test" })
            if (entry[split] is JsonObject m)
                parts.Add($"{split} loss {m["loss"]!.GetValue<double>():F4} acc {m["accuracy"]!.GetValue<double>():F4}");
        parts.Add($"{entry["duration"]}s");
        return string.Join(" | ", parts);
    }
}
