using System.Text.RegularExpressions;
using Loom.Experiments;
using Loom.Config;
using Loom.Data;
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
/// The reference task (the lecture's): image classification on Fashion-MNIST, MNIST or CIFAR-10 with the
/// models of <see cref="ModelFactory"/>, cross-entropy loss and accuracy. It is built on the public task API
/// only — `loom` is <c>LoomApp</c> with this task — so it is also an example of a task.
/// </summary>
public sealed class ImageClassificationTask : LoomTask<ImageClassificationSettings>
{
    DataSplits? splits;
    SplitPlan? plan;

    public override IReadOnlyList<MetricSpec> DeclaredMetrics => [MetricSpec.Max("accuracy", MetricFormat.Percent)];
    public override string MonitorMetric => "accuracy";

    public override void Validate()
    {
        var (model, data) = (Settings.Model, Settings.Data);
        if (data.ValidFraction is < 0 or >= 1) throw new ConfigException($"data.valid_fraction={data.ValidFraction}: expected a number in [0, 1)");
        if (data.Limit is <= 0) throw new ConfigException($"data.limit={data.Limit}: expected a positive integer or null");
        DataSettingsValidator.Validate(data);
        if (!DataFactory.Names.Contains(data.Name))
            throw new ConfigException($"data.name={data.Name}: unknown data set (expected one of {string.Join(", ", DataFactory.Names)})");
        if (!ModelFactory.Names.Contains(model.Name))
            throw new ConfigException($"model.name={model.Name}: unknown model (expected one of {string.Join(", ", ModelFactory.Names)})");
        ModelSettingsValidator.Validate(model);
        if (Settings.Monitor is { } v && v.StartsWith("valid.") && data.ValidFraction == 0)
            throw new ConfigException($"monitor={v}: there is no validation split (set data.valid_fraction > 0)");
    }

    /// <summary>Reads and checks the files, computes the normalization statistics (pure .NET), while libtorch loads.</summary>
    public override void PrepareData() => plan = DataFactory.Prepare(Settings.Data, Context.Log);

    public override TaskData LoadData()
    {
        splits = DataFactory.Load(Settings.Data, plan);
        plan = null;
        return new TaskData(splits.Train, splits.Valid, splits.Test) { Loader = new Loom.Data.Loading.BatchLoader(Settings.Data.Workers, Settings.Data.Prefetch) };
    }

    public override nn.Module CreateModel(TaskData data)
    {
        var s = splits ?? throw new InvalidOperationException("LoadData first");
        // The XP folder is ready here (defined, wiped on restart): the class names go beside the metric declarations.
        if (s.ClassNames is { } names && Context.Process.IsMain) DataClasses.Write(Context.XpFolder, names);
        return ModelFactory.Create(Settings.Model, s.Channels, s.Height, s.Width, s.Classes);
    }

    public override Tensor Step(nn.Module model, Batch batch, Metrics metrics)
    {
        var output = ((nn.Module<Tensor, Tensor>)model).forward(batch.Input);
        var loss = nn.functional.cross_entropy(output, batch.Target);
        metrics.Add("accuracy", output.argmax(1).eq(batch.Target).sum().ToInt64(), batch.Size);
        return loss;
    }
}
