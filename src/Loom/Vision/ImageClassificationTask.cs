using System.Text.RegularExpressions;
using Loom.Experiments;
using Loom.Config;
using Loom.Data;
using Loom.Data.Csv;
using Loom.Nn;
using Loom.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Vision;

/// <summary>The reference task's own settings: the `model` and `data` sections (Loom binds them, closed).</summary>
public sealed record ImageClassificationSettings
{
    public ModelSettings Model { get; init; } = new();
    public DataSettings Data { get; init; } = new();
    /// <summary>The root's `monitor` (Loom's key), read here to check it against this task's splits.</summary>
    public string? Monitor { get; init; }
}

/// <summary>
/// The reference task (the lecture's): image classification on Fashion-MNIST, MNIST, CIFAR-10 or an image folder with
/// the models of <see cref="ModelFactory"/>, cross-entropy loss and accuracy; and, on a table (data=csv), classification
/// the same way or regression (MSE on the standardized target, `rmse` in the target's units) with the MLP. It is built
/// on the public task API only — `loom` is <c>LoomApp</c> with this task — so it is also an example of a task.
/// </summary>
public sealed class ImageClassificationTask : LoomTask<ImageClassificationSettings>
{
    DataSplits? splits;
    SplitPlan? plan;
    // data=csv: the table read and decided (also by DeclaredMetrics when data.task must be inferred from it), then its encoding.
    readonly Lock tableLock = new();
    TablePlan? table;
    TableSchema? schema;
    System.Text.Json.Nodes.JsonObject? tableEncoding;
    double targetStd = 1;

    bool IsTable => DataFactory.IsTable(Settings.Data);
    bool IsRegression => IsTable && (Settings.Data.Task is { } task ? task == TableSchema.Regression : (schema ?? ReadTable().Schema).IsRegression);

    public override IReadOnlyList<MetricSpec> DeclaredMetrics =>
        IsRegression ? [MetricSpec.Min("rmse")] : [MetricSpec.Max("accuracy", MetricFormat.Percent)];
    public override string MonitorMetric => IsRegression ? "rmse" : "accuracy";

    TablePlan ReadTable()
    {
        lock (tableLock)
        {
            // The keys first (also when DeclaredMetrics reads the table to infer data.task, before Validate runs).
            TableSettingsValidator.Validate(Settings.Data, Settings.Model.Name);
            table ??= TablePlan.Prepare(Settings.Data);
            schema = table.Schema;
            return table;
        }
    }

    public override void Validate()
    {
        var (model, data) = (Settings.Model, Settings.Data);
        if (data.ValidFraction is < 0 or >= 1) throw new ConfigException($"data.valid_fraction={data.ValidFraction}: expected a number in [0, 1)");
        if (data.Limit is <= 0) throw new ConfigException($"data.limit={data.Limit}: expected a positive integer or null");
        DataSettingsValidator.Validate(data);
        if (IsTable) TableSettingsValidator.Validate(data, model.Name);
        DataFactory.Check(data);
        ModelFactory.Check(model.Name);
        ModelSettingsValidator.Validate(model);
        DataRoot.Check(data); // last: a path is checked once every value is known good
        if (Settings.Monitor is { } v && v.StartsWith("valid.") && data.ValidFraction == 0)
            throw new ConfigException($"monitor={v}: there is no validation split (set data.valid_fraction > 0)");
    }

    /// <summary>Reads and checks the files, computes the normalization statistics (pure .NET), while libtorch loads.</summary>
    public override void PrepareData()
    {
        if (IsTable) ReadTable();
        else plan = DataFactory.Prepare(Settings.Data);
    }

    public override TaskData LoadData()
    {
        var loader = new Loom.Data.Loading.BatchLoader(Settings.Data.Workers, Settings.Data.Prefetch);
        if (IsTable)
        {
            var t = table ?? ReadTable();
            (tableEncoding, targetStd) = (t.Encoding(), t.TargetStd);
            table = null; // the tensors hold the rows now
            return TableDatasets.Build(t, loader);
        }
        splits = DataFactory.Load(Settings.Data, plan);
        plan = null;
        return new TaskData(splits.Train, splits.Valid, splits.Test) { Loader = loader };
    }

    public override nn.Module CreateModel(TaskData data)
    {
        if (IsTable)
        {
            var t = schema ?? throw new InvalidOperationException("LoadData first");
            if (!t.IsRegression && Context.Process.IsMain) DataClasses.Write(Context.XpFolder, t.Classes);
            // One row is a 1×1×inputs "image": the MLP flattens it to its inputs.
            return ModelFactory.Create(Settings.Model, 1, 1, t.Width, t.IsRegression ? 1 : t.Classes.Length);
        }
        var s = splits ?? throw new InvalidOperationException("LoadData first");
        // The XP folder is ready here (defined, wiped on restart): the class names go beside the metric declarations.
        if (s.ClassNames is { } names && Context.Process.IsMain) DataClasses.Write(Context.XpFolder, names);
        foreach (var note in s.Notes) // the streamed cache reused or rebuilt (data.stream)
            if (note.Warning) Context.Log.Warning(note.Text);
            else Context.Log.Info(note.Text);
        if (Context.Process.IsMain) SkippedFilesReport.Record(Context.XpFolder, s.Skipped, Context.Log);
        return ModelFactory.Create(Settings.Model, s.Channels, s.Height, s.Width, s.Classes);
    }

    public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
    {
        var output = ((nn.Module<Tensor, Tensor>)model).forward(batch.Input);
        if (IsRegression)
        {
            var prediction = output.view(-1);
            // The squared errors in the target's own units (the target is standardized): their epoch mean becomes `rmse`.
            metrics.Add(SquaredError, (prediction - batch.Target).square().sum().ToDouble() * targetStd * targetStd, batch.Size);
            return nn.functional.mse_loss(prediction, batch.Target);
        }
        var loss = nn.functional.cross_entropy(output, batch.Target);
        metrics.Add("accuracy", output.argmax(1).eq(batch.Target).sum().ToInt64(), batch.Size);
        return loss;
    }

    const string SquaredError = "squared_error";

    /// <summary>Regression: `rmse` = √(mean squared error), from the epoch's sums (a mean of batch RMSEs would not be it).</summary>
    public override void CompleteEpochMetrics(string split, IDictionary<string, double> means)
    {
        if (means.Remove(SquaredError, out var mse)) means["rmse"] = Math.Sqrt(mse);
    }

    /// <summary>data=csv: the table's encoding (columns, the training split's mean and std, classes) goes into every checkpoint.</summary>
    public override System.Text.Json.Nodes.JsonNode? StateDict() => tableEncoding;

    /// <summary>On resume: the table must encode as it did when the checkpoint was written (else the model reads other numbers).</summary>
    public override void LoadStateDict(System.Text.Json.Nodes.JsonNode state)
    {
        if (tableEncoding is not null && !System.Text.Json.Nodes.JsonNode.DeepEquals(state, tableEncoding))
            throw new ConfigException($"data.train={Settings.Data.Train}: the table no longer encodes as when the checkpoint was written (its columns or statistics changed); restart=true trains afresh");
    }
}
