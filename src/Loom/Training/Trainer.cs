using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Logging;
using Loom.Optim;
using Loom.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// The training loop of one XP for any task (the lecture's `basic/train.py`, made robust): epochs of train
/// then valid/test, sample-weighted metrics, `history.json`, a checkpoint after every epoch, automatic
/// resume from the newest valid checkpoint, best checkpoint on the monitored metric, callbacks for
/// everything else. <see cref="Run"/> is three phases: restore (the newest checkpoint, the callbacks' and the
/// task's state), the epoch loop (the batches themselves are <see cref="StepLoop"/>'s), finish (the callbacks'
/// end, the report). In data parallel every rank runs this loop on its share of each batch; the strategy's
/// collectives are called at fixed points (start, each optimizer step, each split's end) so every rank calls
/// them in the same order, and only the main rank writes files.
/// </summary>
public sealed class Trainer
{
    readonly ITaskDefinition task;
    readonly TrainerOptions options;
    readonly TrainSettings train;
    readonly ProcessContext process;
    readonly Logger log;

    /// <summary>Attaches the task's <see cref="TaskContext"/> (folder, process, log, device), so the task may use it from <see cref="ITaskDefinition.PrepareData"/> on.</summary>
    public Trainer(ITaskDefinition task, TrainerOptions options)
    {
        this.task = task;
        this.options = options;
        train = options.Train;
        process = options.Process;
        log = options.Sink.For("train");
        task.Attach(new TaskContext(options.XpFolder, process, options.Sink.For("task"), train.Device) { Xp = options.Xp });
    }

    /// <summary>The objects of one fit, built once by <see cref="Start"/> and shared by its phases.</summary>
    sealed class Fit
    {
        public required nn.Module Model { get; init; }
        public required List<Parameter> Parameters { get; init; }
        public required OptimizerHelper Optimizer { get; init; }
        public required Monitor Monitor { get; init; }
        public required LrController Lr { get; init; }
        public required GradientStepper Stepper { get; init; }
        public required ITrainingStrategy Strategy { get; init; }
        public required List<ITrainingCallback> Callbacks { get; init; }
        public required Checkpointer Checkpointer { get; init; }
        public required StepLoop Loop { get; init; }
        public FitControl Control { get; } = new();
        public History History { get; set; } = new();
        /// <summary>The state of a mid-epoch checkpoint: where the first epoch resumes.</summary>
        public JsonObject? MidEpoch { get; set; }
        public int ResumedFrom { get; set; }
        public double TrainSeconds { get; set; }
        public long TrainSamples { get; set; }
    }

    /// <param name="loaded">The task's data when the caller loaded it already (to fail on bad data before touching
    /// the XP folder); the trainer owns and disposes it either way.</param>
    public TrainReport Run(TaskData? loaded = null)
    {
        using var data = loaded ?? LoadData(task);
        if (train.BatchSize % process.WorldSize != 0)
            throw new Config.ConfigException($"batch_size={train.BatchSize}: not divisible by the {process.WorldSize} data-parallel ranks");
        var device = new Device(train.Device);
        var fit = Start(data, device);
        try
        {
            Restore(fit, device);
            fit.Strategy.Setup(fit.Model, fit.Parameters);
            var sampler = new EpochSampler(data.Train.Count, train.BatchSize, train.Seed, process);
            log.Info($"model {fit.Model.GetName()} ({fit.Parameters.Sum(p => p.numel()):N0} parameters), optimizer {options.Optim.Name} lr {fit.Lr.At(fit.History.Count):G6}, " +
                     $"train {data.Train.Count}{(data.Valid is null ? "" : $", valid {data.Valid.Count}")}{(data.Test is null ? "" : $", test {data.Test.Count}")}, " +
                     $"batch {train.BatchSize}{(process.IsDistributed ? $" ({train.BatchSize / process.WorldSize} on each of {process.WorldSize} ranks)" : "")}");
            foreach (var c in fit.Callbacks)
                c.FitStarted(new FitStart(options.XpFolder, fit.Model, fit.Parameters, process, fit.ResumedFrom, train.Epochs, sampler.Batches, fit.History, fit.Control));
            Exception? failure = null;
            try
            {
                EpochLoop(fit, data, sampler);
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
            finally
            {
                foreach (var c in fit.Callbacks) c.FitEnded(new FitEnd(fit.History, failure));
            }
            return Finish(fit);
        }
        finally
        {
            if (options.Strategy is null) fit.Strategy.Dispose(); // the one the trainer chose
        }
    }

    /// <summary>The task's data when no caller loaded it: its files, then its tensors (`loom train` overlaps the first with libtorch's load).</summary>
    static TaskData LoadData(ITaskDefinition task)
    {
        task.PrepareData();
        return task.LoadData();
    }

    /// <summary>Model, optimizer, monitor, LR schedule, strategy and callbacks for <paramref name="data"/>.</summary>
    Fit Start(TaskData data, Device device)
    {
        var model = task.CreateModel(data).to(device);
        var groups = task.ParameterGroups(model, options.Optim);
        var parameters = groups.SelectMany(g => g.Parameters).ToList();
        var optimizer = options.Catalog.Optimizer(options.Optim.Name).Create(options.Optim, groups);
        if (optimizer.ParamGroups.Count() != groups.Count)
            throw new InvalidOperationException($"optimizer '{options.Optim.Name}' built {optimizer.ParamGroups.Count()} param groups for {groups.Count} parameter groups (one each, in order)");
        var metrics = task.Declarations();
        if (process.IsMain) metrics.Write(Directory.CreateDirectory(options.XpFolder).FullName); // what the table and the report read
        var monitor = MonitorFor(data, metrics);
        var lr = LrController.Create(options.Catalog, options.Schedule, options.Optim, train.BatchSize, train.Epochs, monitor.Maximize, groups.Select(g => g.LrScale).ToList());
        var strategy = options.Strategy ?? (process.IsDistributed ? new DataParallel(process) { LossDividedByWorldSize = true } : new SingleDeviceStrategy());
        var callbacks = DefaultCallbacks(monitor).Concat(options.Callbacks).ToList();
        var stepper = new GradientStepper(optimizer, parameters, options.Optim, lr, strategy, () =>
        {
            foreach (var c in callbacks) c.GradientsReady(parameters);
        }, log.Warning, options.StopRequested);
        return new Fit
        {
            Model = model, Parameters = parameters, Optimizer = optimizer, Monitor = monitor, Lr = lr, Stepper = stepper, Strategy = strategy,
            Callbacks = callbacks, Checkpointer = new Checkpointer(options.XpFolder, log), Loop = new StepLoop(task, options, strategy, device, callbacks),
        };
    }

    IEnumerable<ITrainingCallback> DefaultCallbacks(Monitor monitor)
    {
        if (process.IsMain) yield return new ProgressCallback(train.Progress, train.Epochs, train.BatchSize);
        yield return new EarlyStopping(monitor, train.Patience, log);
    }

    /// <summary>
    /// What selects the epoch: `monitor`, else the valid split's metric, its direction as the task declared it;
    /// never the test split (its score would no longer estimate unseen data), so without a validation split the
    /// last epoch is selected, and early stopping and a plateau schedule, which need a metric, are refused.
    /// </summary>
    Monitor MonitorFor(TaskData data, MetricDeclarations metrics)
    {
        if (train.Monitor is null && data.Valid is null)
        {
            const string hint = "there is no validation split to select on (hold one out, e.g. data.valid_fraction=0.1, or set monitor=train.loss)";
            if (train.Patience > 0) throw new Config.ConfigException($"patience={train.Patience}: early stopping needs a monitored metric, and {hint}");
            if (options.Catalog.Schedule(options.Schedule.Name).NeedsMetric)
                throw new Config.ConfigException($"schedule={options.Schedule.Name}: the schedule needs a monitored metric, and {hint}");
            return Monitor.LastEpoch;
        }
        string path = train.Monitor ?? $"valid.{task.MonitorMetric}";
        string split = path.Split('.')[0];
        if ((split == "valid" && data.Valid is null) || (split == "test" && data.Test is null))
            throw new Config.ConfigException($"monitor={path}: the task has no {split} split");
        if (!metrics.Declares(path) && train.Monitor is not null)
            throw new Config.ConfigException($"monitor={path}: expected <train|valid|test>.<{string.Join("|", metrics.Metrics.Select(m => m.Name))}>");
        if (!metrics.Declares(path))
            throw new InvalidOperationException($"{task.GetType().Name}.MonitorMetric '{task.MonitorMetric}' is not among its DeclaredMetrics (have: {string.Join(", ", metrics.Metrics.Select(m => m.Name))})");
        return new Monitor(path, metrics.For(path).Maximize);
    }

    /// <summary>Phase 1: the newest valid checkpoint, if any, into the model, optimizer, RNG, LR schedule, task and callbacks.</summary>
    void Restore(Fit fit, Device device)
    {
        var latest = fit.Checkpointer.LoadLatest(owner: process.IsMain); // every rank reads the same checkpoint
        if (latest is not null)
        {
            var (history, state) = TrainingSnapshot.Restore(latest, fit.Model, fit.Optimizer, fit.Checkpointer.LastPath);
            fit.History = history;
            fit.Lr.Restore(state["lr_schedule"] as JsonObject);
            fit.MidEpoch = state["mid_epoch"] as JsonObject;
            if (state["task"] is { } taskState) task.LoadStateDict(taskState.DeepClone());
            CallbackStates.Restore(fit.Callbacks, state["callbacks"] as JsonObject);
            fit.Model.to(device);
            if (process.IsMain) history.Save(options.XpFolder); // the checkpoint is the truth: history.json may lag one epoch behind it
            log.Info(fit.MidEpoch is null ? $"resuming from epoch {history.Count}" : $"resuming from epoch {history.Count + 1}, batch {fit.MidEpoch["batch"]}");
        }
        fit.ResumedFrom = fit.History.Count;
    }

    /// <summary>Phase 2: the epochs left (or until a callback stops the fit): train, evaluate, history, checkpoint, callbacks.</summary>
    void EpochLoop(Fit fit, TaskData data, EpochSampler sampler)
    {
        var history = fit.History;
        var (best, _) = fit.Monitor.Scan(history);
        for (int epoch = history.Count + 1; epoch <= train.Epochs && !fit.Control.StopRequested; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var resumeAt = epoch == history.Count + 1 ? fit.MidEpoch : null;
            fit.MidEpoch = null;
            int current = epoch;
            var trainMeans = fit.Loop.Train(fit.Model, fit.Stepper, data.Train, sampler, epoch, fit.Lr, resumeAt,
                (batch, partial) => SaveMidEpoch(fit, current, batch, partial), data.Loader);
            double trainTime = clock.Elapsed.TotalSeconds;
            // A NaN/infinite loss cannot be written to history.json and will not recover: say why, in config terms.
            if (!double.IsFinite(trainMeans["loss"]))
                throw new DivergedException($"epoch {epoch}: the training loss is {trainMeans["loss"]} (diverged): lower optim.lr, " +
                                            "add a warm-up (schedule.warmup_epochs) or clip the gradients (optim.clip_grad_norm)");
            var entry = new JsonObject { ["epoch"] = epoch, ["train"] = EpochEntry.MetricsJson(trainMeans) };
            fit.Strategy.BeforeEvaluation(fit.Model);
            foreach (var (split, dataset) in data.Evaluations())
                entry[split] = EpochEntry.MetricsJson(fit.Loop.Evaluate(fit.Model, dataset, split));
            entry["lr"] = fit.Lr.Current;
            entry["duration"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            entry["samples_per_second"] = Math.Round(data.Train.Count / trainTime, 1);
            history.Add(entry);
            fit.TrainSeconds += trainTime;
            fit.TrainSamples += data.Train.Count;

            double? value = fit.Monitor.Path is null ? null : History.Metric(entry, fit.Monitor.Path)
                ?? throw new Config.ConfigException($"monitor={fit.Monitor.Path}: no such metric in the history (have: {string.Join(", ", EpochEntry.MetricPaths(entry))})");
            fit.Lr.EpochEnded(value ?? double.NaN); // NaN only without a monitor, where a plateau schedule is refused
            bool isBest = fit.Monitor.Improves(value ?? 0, best);
            if (isBest) best = value;
            if (process.IsMain)
            {
                fit.Checkpointer.Save(TrainingSnapshot.Sections(fit.Model, fit.Optimizer, history, options.ConfigYaml, CheckpointState(fit, midEpoch: null)), isBest);
                history.Save(options.XpFolder);
            }
            log.Info(EpochEntry.Summary(entry) + (isBest && fit.Monitor.Path is not null ? " (best)" : ""));
            Loom.IO.CrashPoint.Hit("epoch.ended");
            foreach (var c in fit.Callbacks) c.EpochEnded(new EpochEnd(epoch, entry, isBest, history));
        }
    }

    /// <summary>Phase 3: what the fit reports (the callbacks' <see cref="ITrainingCallback.FitEnded"/> has run).</summary>
    TrainReport Finish(Fit fit)
    {
        var (history, monitor) = (fit.History, fit.Monitor);
        var (best, _) = monitor.Scan(history);
        string metric = monitor.Path is null ? task.MonitorMetric : monitor.Path[(monitor.Path.IndexOf('.') + 1)..];
        var selected = monitor.Selected(history);
        return new TrainReport(history.Count, monitor.Path, monitor.Describe(), selected?["epoch"]?.GetValue<int>() ?? 0, best, metric,
            EpochEntry.BestOf(history, $"valid.{metric}", monitor.Path is null ? task.Declarations().For(metric).Maximize : monitor.Maximize),
            selected is null ? null : History.Metric(selected, $"valid.{metric}"), selected is null ? null : History.Metric(selected, $"test.{metric}"),
            history.Epochs.Select(e => (double?)e["duration"]?.GetValue<double>() ?? 0).DefaultIfEmpty().Average(),
            fit.TrainSeconds > 0 ? fit.TrainSamples / fit.TrainSeconds : 0, fit.Control.StopRequested, fit.ResumedFrom);
    }

    /// <summary>The checkpoint's `state`: the LR schedule, the mid-epoch position, then the task's and the callbacks' own (when they have one).</summary>
    JsonObject CheckpointState(Fit fit, JsonObject? midEpoch)
    {
        var state = new JsonObject { ["lr_schedule"] = fit.Lr.State() };
        if (midEpoch is not null) state["mid_epoch"] = midEpoch;
        if (task.StateDict() is { } taskState) state["task"] = taskState.Parent is null ? taskState : taskState.DeepClone();
        if (CallbackStates.Collect(fit.Callbacks) is { } callbackStates) state["callbacks"] = callbackStates;
        return state;
    }

    /// <summary>Writes the state in the middle of an epoch (after <paramref name="batch"/> batches) as the latest checkpoint.</summary>
    void SaveMidEpoch(Fit fit, int epoch, int batch, Metrics partial)
    {
        if (!process.IsMain) return;
        var midEpoch = new JsonObject { ["epoch"] = epoch, ["batch"] = batch, ["metrics"] = partial.ToJson() };
        if (fit.Stepper.SkippedSteps > 0) midEpoch["skipped_steps"] = fit.Stepper.SkippedSteps;
        fit.Checkpointer.Save(TrainingSnapshot.Sections(fit.Model, fit.Optimizer, fit.History, options.ConfigYaml, CheckpointState(fit, midEpoch)), isBest: false);
        log.Info($"stop requested: checkpoint written at epoch {epoch}, batch {batch}");
    }
}
