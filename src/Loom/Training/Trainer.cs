using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;
using Loom.Optim;
using Loom.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>What the trainer needs besides the task: where the XP lives, Loom's own settings, the process.</summary>
public sealed record TrainerOptions
{
    public required string XpFolder { get; init; }
    public TrainSettings Train { get; init; } = new();
    public OptimSettings Optim { get; init; } = new();
    public ScheduleSettings Schedule { get; init; } = new();
    /// <summary>The resolved config, stored in every checkpoint for reference.</summary>
    public string ConfigYaml { get; init; } = "{}";
    public required LogSink Sink { get; init; }
    public ProcessContext Process { get; init; } = ProcessContext.Single;
    /// <summary>Observers of the fit, called in this order after Loom's own (progress, early stopping).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
    /// <summary>Gradient synchronization for data parallel (null for one process); see <see cref="IGradientSync"/>.</summary>
    public IGradientSync? GradientSync { get; init; }
    /// <summary>
    /// Polled after every optimizer step (e.g. Slurm's USR1 before a time limit or a preemption): when it says
    /// stop, the trainer writes a mid-epoch checkpoint and throws <see cref="FitInterruptedException"/>; the same
    /// XP started again continues from that batch exactly. Null: never.
    /// </summary>
    public Func<bool>? StopRequested { get; init; }
}

/// <summary>The fit stopped on request after a mid-epoch checkpoint (see <see cref="TrainerOptions.StopRequested"/>).</summary>
public sealed class FitInterruptedException(int epoch, int batch) : Exception($"stopped on request at epoch {epoch}, batch {batch}; checkpoint written")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
}

/// <summary>
/// The training loop of one XP for any task (the lecture's `basic/train.py`, made robust): epochs of train
/// then valid/test, sample-weighted metrics, `history.json`, a checkpoint after every epoch, automatic
/// resume from the newest valid checkpoint, best checkpoint on the monitored metric, callbacks for
/// everything else. In data parallel every rank runs this loop on its share of each batch; the collectives
/// are called at fixed points (start, each optimizer step, each split's end) so every rank calls them in
/// the same order, and only the main rank writes files.
/// </summary>
public sealed class Trainer(ITaskDefinition task, TrainerOptions options)
{
    readonly TrainSettings train = options.Train;
    readonly ProcessContext process = options.Process;
    readonly Logger log = options.Sink.For("train");

    /// <param name="loaded">The task's data when the caller loaded it already (to fail on bad data before touching
    /// the XP folder); the trainer owns and disposes it either way.</param>
    public TrainReport Run(TaskData? loaded = null)
    {
        var device = new Device(train.Device);
        var checkpointer = new Checkpointer(options.XpFolder, log);
        using var data = loaded ?? LoadData(task);
        if (train.BatchSize % process.WorldSize != 0)
            throw new Config.ConfigException($"batch_size={train.BatchSize}: not divisible by the {process.WorldSize} data-parallel ranks");
        var model = task.CreateModel(data).to(device);
        var parameters = task.Parameters(model).ToList();
        var optimizer = OptimizerFactory.Create(options.Optim, parameters);
        var monitor = MonitorFor(data);
        var lr = LrController.Create(options.Schedule, options.Optim, train.BatchSize, train.Epochs, monitor.Maximize);
        var sync = options.GradientSync;
        var stepper = new GradientStepper(optimizer, parameters, options.Optim, lr, sync);

        var history = new History();
        var latest = checkpointer.LoadLatest(owner: process.IsMain); // every rank reads the same checkpoint
        JsonObject? midEpoch = null;
        if (latest is not null)
        {
            JsonObject state;
            (history, state) = TrainingSnapshot.Restore(latest, model, optimizer, checkpointer.LastPath);
            lr.Restore(state["lr_schedule"] as JsonObject);
            midEpoch = state["mid_epoch"] as JsonObject;
            model.to(device);
            if (process.IsMain) history.Save(options.XpFolder); // the checkpoint is the truth: history.json may lag one epoch behind it
            log.Info(midEpoch is null ? $"resuming from epoch {history.Count}" : $"resuming from epoch {history.Count + 1}, batch {midEpoch["batch"]}");
        }
        sync?.Start(model, parameters);
        int resumedFrom = history.Count;
        var sampler = new EpochSampler(data.Train.Count, train.BatchSize, train.Seed, process);
        log.Info($"model {model.GetName()} ({parameters.Sum(p => p.numel()):N0} parameters), optimizer {options.Optim.Name} lr {lr.At(history.Count):G6}, " +
                 $"train {data.Train.Count}{(data.Valid is null ? "" : $", valid {data.Valid.Count}")}{(data.Test is null ? "" : $", test {data.Test.Count}")}, " +
                 $"batch {train.BatchSize}{(process.IsDistributed ? $" ({train.BatchSize / process.WorldSize} on each of {process.WorldSize} ranks)" : "")}");

        var control = new FitControl();
        var callbacks = DefaultCallbacks(monitor).Concat(options.Callbacks).ToList();
        foreach (var c in callbacks)
            c.FitStarted(new FitStart(options.XpFolder, model, parameters, process, resumedFrom, train.Epochs, sampler.Batches, history, control));

        var (best, _) = monitor.Scan(history);
        double trainSeconds = 0;
        long trainSamples = 0;
        Exception? failure = null;
        try
        {
            for (int epoch = history.Count + 1; epoch <= train.Epochs && !control.StopRequested; epoch++)
            {
                var clock = Stopwatch.StartNew();
                var resumeAt = epoch == history.Count + 1 ? midEpoch : null;
                midEpoch = null;
                var trainMeans = TrainEpoch(model, stepper, data.Train, sampler, device, epoch, lr, callbacks, resumeAt,
                    (batch, partial) => SaveMidEpoch(checkpointer, model, optimizer, history, lr, epoch, batch, partial));
                double trainTime = clock.Elapsed.TotalSeconds;
                // A NaN/infinite loss cannot be written to history.json and will not recover: say why, in config terms.
                if (!double.IsFinite(trainMeans["loss"]))
                    throw new DivergedException($"epoch {epoch}: the training loss is {trainMeans["loss"]} (diverged): lower optim.lr, " +
                                                "add a warm-up (schedule.warmup_epochs) or clip the gradients (optim.clip_grad_norm)");
                var entry = new JsonObject { ["epoch"] = epoch, ["train"] = ToJson(trainMeans) };
                sync?.BeforeEvaluation(model);
                foreach (var (split, dataset) in data.Evaluations())
                    entry[split] = ToJson(Evaluate(model, dataset, device, split));
                entry["lr"] = lr.Current;
                entry["duration"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
                entry["samples_per_second"] = Math.Round(data.Train.Count / trainTime, 1);
                history.Add(entry);
                trainSeconds += trainTime;
                trainSamples += data.Train.Count;

                double? current = monitor.Path is null ? null : History.Metric(entry, monitor.Path)
                    ?? throw new Config.ConfigException($"monitor={monitor.Path}: no such metric in the history (have: {string.Join(", ", MetricPaths(entry))})");
                lr.EpochEnded(current ?? double.NaN); // NaN only without a monitor, where a plateau schedule is refused
                bool isBest = monitor.Improves(current ?? 0, best);
                if (isBest) best = current;
                if (process.IsMain)
                {
                    var extraState = new JsonObject { ["lr_schedule"] = lr.State() };
                    checkpointer.Save(TrainingSnapshot.Sections(model, optimizer, history, options.ConfigYaml, extraState), isBest);
                    history.Save(options.XpFolder);
                }
                log.Info(Summary(entry) + (isBest && monitor.Path is not null ? " (best)" : ""));
                Loom.IO.CrashPoint.Hit("epoch.ended");
                foreach (var c in callbacks) c.EpochEnded(new EpochEnd(epoch, entry, isBest, history));
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            foreach (var c in callbacks) c.FitEnded(new FitEnd(history, failure));
        }

        string metric = monitor.Path is null ? task.MonitorMetric : monitor.Path[(monitor.Path.IndexOf('.') + 1)..];
        var selected = monitor.Selected(history);
        return new TrainReport(history.Count, monitor.Path, monitor.Describe(), selected?["epoch"]?.GetValue<int>() ?? 0, best, metric,
            BestOf(history, $"valid.{metric}", task.Maximize(metric)),
            selected is null ? null : History.Metric(selected, $"valid.{metric}"), selected is null ? null : History.Metric(selected, $"test.{metric}"),
            history.Epochs.Select(e => (double?)e["duration"]?.GetValue<double>() ?? 0).DefaultIfEmpty().Average(),
            trainSeconds > 0 ? trainSamples / trainSeconds : 0, control.StopRequested, resumedFrom);
    }

    IEnumerable<ITrainingCallback> DefaultCallbacks(Monitor monitor)
    {
        if (process.IsMain) yield return new ProgressCallback(train.Progress, train.Epochs, train.BatchSize);
        yield return new EarlyStopping(monitor, train.Patience, log);
    }

    /// <summary>The task's data when no caller loaded it: its files, then its tensors (`loom train` overlaps the first with libtorch's load).</summary>
    static TaskData LoadData(ITaskDefinition task)
    {
        task.PrepareData();
        return task.LoadData();
    }

    /// <summary>
    /// What selects the epoch: `monitor`, else the valid split's metric; never the test split (its score would
    /// no longer estimate unseen data), so without a validation split the last epoch is selected, and early
    /// stopping and a plateau schedule, which need a metric, are refused.
    /// </summary>
    Monitor MonitorFor(TaskData data)
    {
        if (train.Monitor is null && data.Valid is null)
        {
            const string hint = "there is no validation split to select on (hold one out, e.g. data.valid_fraction=0.1, or set monitor=train.loss)";
            if (train.Patience > 0) throw new Config.ConfigException($"patience={train.Patience}: early stopping needs a monitored metric, and {hint}");
            if (options.Schedule.Name == "plateau") throw new Config.ConfigException($"schedule=plateau: the schedule needs a monitored metric, and {hint}");
            return Monitor.LastEpoch;
        }
        string path = train.Monitor ?? $"valid.{task.MonitorMetric}";
        string split = path.Split('.')[0];
        if ((split == "valid" && data.Valid is null) || (split == "test" && data.Test is null))
            throw new Config.ConfigException($"monitor={path}: the task has no {split} split");
        return new Monitor(path, task.Maximize(path[(path.IndexOf('.') + 1)..]));
    }

    /// <summary>Writes the state in the middle of an epoch (after <paramref name="batch"/> batches) as the latest checkpoint.</summary>
    void SaveMidEpoch(Checkpointer checkpointer, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, History history,
        LrController lr, int epoch, int batch, Metrics partial)
    {
        if (!process.IsMain) return;
        var extraState = new JsonObject
        {
            ["lr_schedule"] = lr.State(),
            ["mid_epoch"] = new JsonObject { ["epoch"] = epoch, ["batch"] = batch, ["metrics"] = partial.ToJson() },
        };
        checkpointer.Save(TrainingSnapshot.Sections(model, optimizer, history, options.ConfigYaml, extraState), isBest: false);
        log.Info($"stop requested: checkpoint written at epoch {epoch}, batch {batch}");
    }

    Dictionary<string, double> TrainEpoch(nn.Module model, GradientStepper stepper, IDataset dataset, EpochSampler sampler, Device device,
        int epoch, LrController lr, IReadOnlyList<ITrainingCallback> callbacks, JsonObject? resumeAt, Action<int, Metrics> checkpointMidEpoch)
    {
        model.train();
        int skip = resumeAt?["batch"]?.GetValue<int>() ?? 0;
        var metrics = resumeAt?["metrics"] is JsonObject saved ? Metrics.FromJson(saved) : new Metrics();
        int batches = sampler.Batches;
        stepper.BeginEpoch(epoch - 1, batches);
        stepper.Skip(skip);
        int step = 0;
        long globalStep = (long)(epoch - 1) * batches;
        foreach (var (indices, globalSize) in sampler.Epoch(epoch))
        {
            if (step < skip) { indices?.Dispose(); step++; continue; } // done before the mid-epoch checkpoint
            using var scope = NewDisposeScope();
            double loss = double.NaN;
            int size = 0;
            if (indices is null) stepper.Backward(null, 0); // an empty share of a short last batch: join the step with zeros
            else
            {
                using var batch = dataset.Gather(indices).To(device);
                size = batch.Size;
                var lossTensor = task.Step(model, batch, metrics);
                // Each rank's mean is over its share; weighting it by share / global makes the SUM of the ranks'
                // gradients the global batch's mean gradient exactly (no ÷ W pass over the gradients), also when
                // the last batch does not split evenly.
                double weight = process.IsDistributed ? (double)size / globalSize : 1.0;
                stepper.Backward(lossTensor, weight);
                loss = lossTensor.ToDouble();
                metrics.AddMean("loss", loss, size);
            }
            step++;
            var end = new StepEnd(epoch, step, batches, globalStep + step, loss, lr.Current, size, metrics);
            foreach (var c in callbacks) c.StepEnded(end);
            Loom.IO.CrashPoint.Hit("train.step"); // `LOOM_CRASH_AT=train.step` times start-up to the first step (bench/startup)
            if (options.StopRequested is { } stop && step < batches && stepper.AtStepBoundary && AllAgree(stop()))
            {
                checkpointMidEpoch(step, metrics);
                throw new FitInterruptedException(epoch, step);
            }
        }
        return Complete("train", metrics);
    }

    Dictionary<string, double> Evaluate(nn.Module model, IDataset dataset, Device device, string split)
    {
        model.eval();
        var metrics = new Metrics();
        using var noGrad = torch.no_grad();
        int batchSize = Math.Max(train.BatchSize / process.WorldSize, 256);
        var (start, length) = EpochSampler.EvaluationShare(dataset.Count, process);
        if (length == 0) throw new Config.ConfigException($"the {split} split has {dataset.Count} samples, fewer than the {process.WorldSize} ranks");
        for (int s = start; s < start + length; s += batchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = dataset.Slice(s, Math.Min(batchSize, start + length - s)).To(device);
            var loss = task.Step(model, batch, metrics);
            metrics.AddMean("loss", loss.ToDouble(), batch.Size);
        }
        return Complete(split, metrics);
    }

    /// <summary>Whether any rank was asked to stop (every rank must stop at the same batch: one tiny all-reduce).</summary>
    bool AllAgree(bool mine)
    {
        if (process.Collectives is not { } collectives) return mine;
        Span<double> flag = [mine ? 1 : 0];
        collectives.AllReduceSum(flag);
        return flag[0] > 0;
    }

    /// <summary>All-reduces the split's sums across ranks (every rank then reports the same), then the task's derived metrics.</summary>
    Dictionary<string, double> Complete(string split, Metrics metrics)
    {
        if (process.Collectives is { } collectives)
        {
            var sums = metrics.ToSums();
            collectives.AllReduceSum(sums);
            metrics.SetSums(sums);
        }
        var means = metrics.Means();
        task.CompleteEpochMetrics(split, means);
        return means;
    }

    /// <summary>`loss` first, then the task's metrics in the order it added them.</summary>
    static JsonObject ToJson(Dictionary<string, double> means)
    {
        var json = new JsonObject();
        if (means.TryGetValue("loss", out var loss)) json["loss"] = loss;
        foreach (var (k, v) in means) if (k != "loss") json[k] = v;
        return json;
    }

    static IEnumerable<string> MetricPaths(JsonObject entry) =>
        entry.Where(kv => kv.Value is JsonObject).SelectMany(kv => kv.Value!.AsObject().Select(m => $"{kv.Key}.{m.Key}"));

    static double? BestOf(History history, string path, bool maximize)
    {
        var values = history.Epochs.Select(e => History.Metric(e, path)).Where(v => v is not null).ToList();
        return values.Count == 0 ? null : maximize ? values.Max() : values.Min();
    }

    static string Summary(JsonObject entry)
    {
        var parts = new List<string> { $"epoch {entry["epoch"]}" };
        foreach (var (split, value) in entry)
            if (value is JsonObject m)
                parts.Add($"{split} " + string.Join(" ", m.Select(kv => $"{(kv.Key == "accuracy" ? "acc" : kv.Key)} {kv.Value!.GetValue<double>():F4}")));
        parts.Add($"{entry["duration"]}s");
        return string.Join(" | ", parts);
    }
}
