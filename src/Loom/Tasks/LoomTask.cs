using System.Text.Json.Nodes;
using Loom.Config;
using Loom.Experiments;
using Loom.Optim;
using Loom.Training;
using static TorchSharp.torch;

namespace Loom.Tasks;

/// <summary>
/// What a user writes to train their own model with Loom (Lightning's LightningModule + DataModule, Dora's
/// `main(cfg)`): the data, the model, the loss and metrics of a batch. Everything else — epochs, averaging,
/// history, checkpoints, resume, early stopping, LR schedules, clipping, accumulation, logging, progress,
/// data parallel — is Loom's. Loom creates one instance per XP with the parameterless constructor, binds
/// <see cref="Settings"/> from the config (the root, so the record's properties name top-level keys or
/// sections; sections bound to records are closed: an undeclared key is an error), calls
/// <see cref="Validate"/> (also from `info`, which never loads libtorch: do not touch tensors there), then,
/// in training, <see cref="LoadData"/>, <see cref="CreateModel"/> and <see cref="Step"/> per batch.
/// </summary>
/// <typeparam name="TSettings">The task's settings record, bound from the config.</typeparam>
public abstract class LoomTask<TSettings> : ITaskDefinition where TSettings : class
{
    TSettings? settings;
    TaskContext? context;

    /// <summary>The task's settings, bound from the XP's config.</summary>
    public TSettings Settings => settings ?? throw new InvalidOperationException("Settings are bound by Loom before the task is used");

    /// <summary>The XP folder, the process (rank) and the log; set by the trainer when it is created, before <see cref="PrepareData"/>.</summary>
    public TaskContext Context => context ?? throw new InvalidOperationException("the context is set by Loom's Trainer when it is created (before PrepareData and LoadData)");

    /// <summary>Sets the settings directly, for use without a config (tests, notebooks, a trainer embedded in other code).</summary>
    public LoomTask<TSettings> WithSettings(TSettings value)
    {
        settings = value;
        return this;
    }

    /// <summary>Refuses settings values the task cannot run with: throw <see cref="ConfigException"/> naming the key.
    /// Runs before anything is written, for `train` and `info` alike; must not touch libtorch.</summary>
    public virtual void Validate() { }

    /// <summary>
    /// The metrics <see cref="Step"/> and <see cref="CompleteEpochMetrics"/> add besides `loss` (Loom's, lower is better),
    /// each with its direction and format: `MetricSpec.Max("top5_acc", MetricFormat.Percent)`. The trainer writes them
    /// into the XP folder (metrics.json); monitor, early stopping, the plateau schedule, the table and the report
    /// read the direction from there. `monitor` is checked against them.
    /// </summary>
    public virtual IReadOnlyList<MetricSpec> DeclaredMetrics => [];

    /// <summary>The metric of the best checkpoint and early stopping when `monitor` is not set (on valid, else test).</summary>
    public virtual string MonitorMetric => "loss";

    /// <summary>
    /// Optional: reads what <see cref="LoadData"/> needs without touching libtorch (files into memory, decompression,
    /// checks). Loom runs it on a background thread while libtorch's native libraries load — a few hundred
    /// milliseconds of every start — and calls <see cref="LoadData"/> once it is done (its exceptions are reported
    /// as LoadData's). Like Lightning's prepare_data, but in every process; do not create tensors here.
    /// </summary>
    public virtual void PrepareData() { }
    /// <summary>The train, optional valid and optional test sets as tensors (after <see cref="PrepareData"/>).</summary>
    public abstract TaskData LoadData();

    /// <summary>The model for <paramref name="data"/>; Loom moves it to the device and restores it on resume.</summary>
    public abstract nn.Module CreateModel(TaskData data);

    /// <summary>The parameters the optimizer gets (default: every parameter); <see cref="ParameterGroups"/> groups them.</summary>
    public virtual IEnumerable<TorchSharp.Modules.Parameter> Parameters(nn.Module model) => model.parameters();

    /// <summary>
    /// The optimizer's parameter groups (PyTorch's param_groups, Lightning's configure_optimizers): each with its LR scale
    /// and weight decay, which the LR schedule scales rather than overwrites. Default: <see cref="Parameters"/> as one group,
    /// or with `optim.no_decay_norm_and_bias` two (biases and norms without weight decay: <see cref="ParameterGroup.Default"/>).
    /// </summary>
    public virtual IReadOnlyList<ParameterGroup> ParameterGroups(nn.Module model, OptimSettings optim) => ParameterGroup.Default(model, Parameters(model), optim);

    /// <summary>
    /// Forward pass of one batch (already on the device): returns the mean loss over the batch and adds
    /// the task's metrics to <paramref name="metrics"/> (Loom adds `loss` itself). Used for training (Loom
    /// back-propagates the result) and evaluation (under no_grad, model in eval mode).
    /// </summary>
    public abstract Tensor Step(nn.Module model, Batch batch, Metrics metrics);

    /// <summary>Adds metrics computed from an epoch's averages (e.g. perplexity = exp(loss)); default none.</summary>
    public virtual void CompleteEpochMetrics(string split, IDictionary<string, double> means) { }

    /// <summary>The task's own state beyond the model (e.g. a vocabulary built from the data), written into every
    /// checkpoint; null (the default): none, nothing written.</summary>
    public virtual JsonNode? StateDict() => null;

    /// <summary>On resume, after <see cref="CreateModel"/>: what <see cref="StateDict"/> returned when the checkpoint was written.</summary>
    public virtual void LoadStateDict(JsonNode state) { }

    void ITaskDefinition.Bind(ConfigNode config) => settings = config.Bind<TSettings>();
    void ITaskDefinition.Attach(TaskContext taskContext) => context = taskContext;
}

/// <summary>The non-generic face of <see cref="LoomTask{TSettings}"/> that Loom drives.</summary>
public interface ITaskDefinition
{
    void Bind(ConfigNode config);
    void Validate();
    void Attach(TaskContext context);
    IReadOnlyList<MetricSpec> DeclaredMetrics { get; }
    string MonitorMetric { get; }
    void PrepareData();
    TaskData LoadData();
    nn.Module CreateModel(TaskData data);
    IEnumerable<TorchSharp.Modules.Parameter> Parameters(nn.Module model);
    IReadOnlyList<ParameterGroup> ParameterGroups(nn.Module model, OptimSettings optim) => ParameterGroup.Default(model, Parameters(model), optim);
    Tensor Step(nn.Module model, Batch batch, Metrics metrics);
    void CompleteEpochMetrics(string split, IDictionary<string, double> means);
    JsonNode? StateDict();
    void LoadStateDict(JsonNode state);
}

