using System.Reflection;
using Loom.Tasks;
using Loom.Training;

namespace Loom.App;

/// <summary>
/// Declares an app built on Loom: its task, its grids, its name and default config folder, extra
/// training callbacks. Passed to <see cref="LoomApp.Run"/>, which gives the app every `loom` command.
/// </summary>
public sealed class LoomAppBuilder
{
    Func<ITaskDefinition>? newTask;
    readonly List<Assembly> gridAssemblies = [];
    readonly List<Func<PreparedXp, Distributed.ProcessContext, ITrainingCallback?>> callbacks = [];
    readonly List<Func<AppCommandOptions, System.CommandLine.Command>> commands = [];
    readonly Optim.OptimCatalog catalog = Optim.OptimCatalog.BuiltIn();
    string? name;
    string? defaultConf;

    /// <summary>The app's task (a <see cref="LoomTask{TSettings}"/>); one instance is created per XP.</summary>
    public LoomAppBuilder Task<TTask>() where TTask : ITaskDefinition, new()
    {
        newTask = () => new TTask();
        return this;
    }

    /// <summary>Assemblies whose <see cref="Grids.Grid"/> subclasses `grid` offers (default: the app's own assembly).</summary>
    public LoomAppBuilder Grids(params Assembly[] assemblies)
    {
        gridAssemblies.AddRange(assemblies);
        return this;
    }

    /// <summary>The program name in help and messages (default: the entry assembly's name, lower case).</summary>
    public LoomAppBuilder Name(string programName)
    {
        name = programName;
        return this;
    }

    /// <summary>The config folder used when neither --conf, $LOOM_CONF nor ./conf/config.yaml gives one (default: `conf` next to the app).</summary>
    public LoomAppBuilder DefaultConf(string folder)
    {
        defaultConf = folder;
        return this;
    }

    /// <summary>Registers an optimizer `optim.name` may name, beside Loom's own (its conf file goes in the app's conf/optim/).</summary>
    public LoomAppBuilder Optimizer(Optim.IOptimizerSpec spec)
    {
        catalog.Add(spec);
        return this;
    }

    /// <summary>Registers an LR schedule `schedule.name` may name, beside Loom's own.</summary>
    public LoomAppBuilder Schedule(Optim.IScheduleSpec spec)
    {
        catalog.Add(spec);
        return this;
    }

    /// <summary>
    /// Registers a model `model.name` may name for the reference image task (<see cref="Vision.ImageClassificationTask"/>),
    /// beside Loom's own: built per XP from the `model` section and the data's image shape and class count. Process-wide
    /// (<see cref="Nn.ModelFactory.Register"/>): the app's scheduled workers run this same registration.
    /// </summary>
    public LoomAppBuilder Model(string modelName, Nn.ModelBuilder build)
    {
        Nn.ModelFactory.Register(modelName, build);
        return this;
    }

    /// <summary>
    /// Registers an image data set `data.name` may name for the reference image task, beside Loom's own: the reader returns
    /// its training and test images as bytes (<see cref="Data.RawImages"/>), and Loom holds out `data.valid_fraction`,
    /// applies `data.limit`, the normalization and the augmentation as for Fashion-MNIST. Process-wide, like <see cref="Model"/>.
    /// </summary>
    public LoomAppBuilder Dataset(string datasetName, Data.DatasetReader read)
    {
        Data.DataFactory.Register(datasetName, read);
        return this;
    }

    /// <summary>Adds a training callback, created per XP (return null to skip an XP).</summary>
    public LoomAppBuilder Callback(Func<PreparedXp, Distributed.ProcessContext, ITrainingCallback?> create)
    {
        callbacks.Add(create);
        return this;
    }

    /// <summary>
    /// Adds a command to the app's command line (how reporting's <c>AddReporting()</c> plugs in `report` and
    /// `plot`: the library itself depends on no reporting assembly).
    /// </summary>
    public LoomAppBuilder Command(Func<AppCommandOptions, System.CommandLine.Command> create)
    {
        commands.Add(create);
        return this;
    }

    internal LoomAppDefinition Build()
    {
        var entry = Assembly.GetEntryAssembly();
        return new LoomAppDefinition(
            name ?? entry?.GetName().Name?.ToLowerInvariant() ?? "loom",
            newTask ?? throw new InvalidOperationException("LoomApp: declare the app's task with app.Task<MyTask>()"),
            gridAssemblies.Count > 0 ? gridAssemblies : entry is null ? [] : [entry],
            defaultConf ?? Path.Combine(AppContext.BaseDirectory, "conf"),
            callbacks) { Commands = commands, Catalog = catalog };
    }
}

/// <summary>What the commands know of the app: built once by <see cref="LoomAppBuilder"/>.</summary>
public sealed record LoomAppDefinition(
    string Name,
    Func<ITaskDefinition> NewTask,
    IReadOnlyList<Assembly> GridAssemblies,
    string DefaultConf,
    IReadOnlyList<Func<PreparedXp, Distributed.ProcessContext, ITrainingCallback?>> Callbacks)
{
    /// <summary>The command line this process was started with (data-parallel ranks are started with the same).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Commands plugged in with <see cref="LoomAppBuilder.Command"/>.</summary>
    public IReadOnlyList<Func<AppCommandOptions, System.CommandLine.Command>> Commands { get; init; } = [];

    /// <summary>The optimizers and schedules of the app: Loom's own and those registered with <see cref="LoomAppBuilder.Optimizer"/>.</summary>
    public Optim.OptimCatalog Catalog { get; init; } = Optim.OptimCatalog.BuiltIn();

    public PreparedXp Prepare(Experiments.Xp xp) => PreparedXp.Prepare(xp, NewTask, Catalog);
}
