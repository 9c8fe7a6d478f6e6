using Loom.Config;
using Loom.Experiments;
using Loom.Logging;
using Loom.Training;

namespace Loom.Cli.ReferenceTask;

/// <summary>
/// The reference task (the lecture's): image classification. Binds the XP's config sections to typed
/// settings and runs the trainer in the XP folder. Binding happens in <see cref="Prepare"/>, before any
/// file is written, so that a type error in the config leaves nothing on disk.
/// </summary>
public sealed class ImageClassificationTask
{
    readonly Xp xp;
    readonly TrainSettings train;
    readonly ModelSettings model;
    readonly OptimSettings optim;
    readonly DataSettings data;
    readonly ScheduleSettings schedule;

    ImageClassificationTask(Xp xp, TrainSettings train, ModelSettings model, OptimSettings optim, DataSettings data, ScheduleSettings schedule)
    {
        this.schedule = schedule;
        this.xp = xp;
        this.train = train;
        this.model = model;
        this.optim = optim;
        this.data = data;
    }

    public static ImageClassificationTask Prepare(Xp xp)
    {
        var config = xp.Config;
        var task = new ImageClassificationTask(xp, config.Bind<TrainSettings>(), config.Bind<ModelSettings>("model"),
            config.Bind<OptimSettings>("optim"), config.Bind<DataSettings>("data"),
            config.Bind<ScheduleSettings>("schedule"));
        task.Validate();
        return task;
    }

    void Validate()
    {
        if (train.Epochs < 0) throw new ConfigException($"epochs={train.Epochs}: expected a non-negative integer");
        if (train.BatchSize <= 0) throw new ConfigException($"batch_size={train.BatchSize}: expected a positive integer");
        if (train.Threads <= 0) throw new ConfigException($"threads={train.Threads}: expected a positive integer");
        if (train.Patience < 0) throw new ConfigException($"patience={train.Patience}: expected 0 (off) or a positive integer");
        if (data.ValidFraction is < 0 or >= 1) throw new ConfigException($"data.valid_fraction={data.ValidFraction}: expected a number in [0, 1)");
        if (data.Limit is <= 0) throw new ConfigException($"data.limit={data.Limit}: expected a positive integer or null");
        if (!Data.DataFactory.Names.Contains(data.Name))
            throw new ConfigException($"data.name={data.Name}: unknown data set (expected one of {string.Join(", ", Data.DataFactory.Names)})");
        if (!Nn.ModelFactory.Names.Contains(model.Name))
            throw new ConfigException($"model.name={model.Name}: unknown model (expected one of {string.Join(", ", Nn.ModelFactory.Names)})");
        if (!Optim.OptimizerFactory.Names.Contains(optim.Name))
            throw new ConfigException($"optim.name={optim.Name}: unknown optimizer (expected one of {string.Join(", ", Optim.OptimizerFactory.Names)})");
        Optim.OptimSettingsValidator.Validate(optim, schedule, train.Epochs);
        if (model.WeightNorm && model.SpectralNorm)
            throw new ConfigException("model.spectral_norm=true: cannot be combined with model.weight_norm=true");
        if (train.Monitor is { } m && !System.Text.RegularExpressions.Regex.IsMatch(m, @"^(train|valid|test)\.(loss|accuracy)$"))
            throw new ConfigException($"monitor={m}: expected <train|valid|test>.<loss|accuracy>");
        if (train.Monitor is { } v && v.StartsWith("valid.") && data.ValidFraction == 0)
            throw new ConfigException($"monitor={v}: there is no validation split (set data.valid_fraction > 0)");
        if (train.Device != "cpu" && !train.Device.StartsWith("cuda"))
            throw new ConfigException($"device={train.Device}: expected cpu or cuda[:N]");
    }

    public TrainReport Run(LogSink sink) =>
        new Trainer(xp.Folder, train, model, optim, data, xp.Config.ToYaml(), sink, schedule).Run();
}
