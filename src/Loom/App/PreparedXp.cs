using Loom.Config;
using Loom.Experiments;
using Loom.Optim;
using Loom.Platform;
using Loom.Tasks;
using Loom.Training;

namespace Loom.App;

/// <summary>
/// An XP with every setting bound and validated — Loom's (root keys, `optim`, `schedule`) and the task's —
/// before anything is written or libtorch is loaded. `train`, `run`, `info`, `launch` and `grid` all go
/// through here, so `info` refuses exactly what `train` refuses, with the same message.
/// </summary>
public sealed class PreparedXp
{
    public required Xp Xp { get; init; }
    public required ITaskDefinition Task { get; init; }
    public required TrainSettings Train { get; init; }
    public required OptimSettings Optim { get; init; }
    public required ScheduleSettings Schedule { get; init; }
    /// <summary>`loom.tensorboard`: the event files every XP writes under its folder.</summary>
    public required Loom.TensorBoard.TensorBoardOptions TensorBoard { get; init; }
    /// <summary>Settings clamped to this machine (<see cref="MachineLimits"/>), one line each: `info` prints them, `train` logs them.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>`loom.platform`: the process-wide tweaks <see cref="PlatformTweaks"/> applies (all on by default).</summary>
    public PlatformSettings Platform { get; init; } = new();

    /// <summary>The optimizers and schedules the XP may name (Loom's own and the app's).</summary>
    public OptimCatalog Catalog { get; init; } = OptimCatalog.BuiltIn();

    /// <summary>With Loom's own optimizers and schedules.</summary>
    public static PreparedXp Prepare(Xp xp, Func<ITaskDefinition> newTask) => Prepare(xp, newTask, OptimCatalog.BuiltIn());

    /// <summary>With the optimizers and schedules of <paramref name="catalog"/> (an app's: <see cref="LoomAppBuilder.Optimizer"/>).</summary>
    public static PreparedXp Prepare(Xp xp, Func<ITaskDefinition> newTask, OptimCatalog catalog)
    {
        var config = xp.Config;
        RequiredKeys.Check(xp.Argv);
        IO.OutputsFolder.Check(Path.GetDirectoryName(Path.GetDirectoryName(xp.Folder))!); // <outputs>/xps/<sig>
        var train = config.Bind<TrainSettings>();
        var warnings = new List<string>();
        var (optim, schedule) = catalog.Bind(config); // each option's own keys into its closed record: an unknown key is refused here
        var tensorBoard = config.Has("loom.tensorboard") ? config.Bind<Loom.TensorBoard.TensorBoardOptions>("loom.tensorboard") : new();
        if (tensorBoard.EveryNSteps < 0)
            throw new ConfigException($"loom.tensorboard.every_n_steps={tensorBoard.EveryNSteps}: expected 0 (epochs only) or a positive number of batches");
        var platform = PlatformSettings.From(config);
        var task = newTask();
        task.Bind(config);
        TrainSettingsValidator.Validate(train, task);
        catalog.Validate(optim, schedule, train.Epochs);
        task.Validate();
        // Validated first (threads=0 is refused, not clamped), then fitted to this machine's cores.
        (int threads, string? clamped) = MachineLimits.ClampThreads("threads", train.Threads, MachineLimits.Cores);
        if (clamped is not null) (train, warnings) = (train with { Threads = threads }, [clamped]);
        // The loader clamps its workers itself (a task builds it); said here so that `info` shows it too.
        if (config.TryGet<long>("data.workers", out var workers) && workers > 0
            && MachineLimits.ClampThreads("data.workers", (int)Math.Min(workers, int.MaxValue), MachineLimits.Cores).Warning is { } w) warnings.Add(w);
        return new PreparedXp { Xp = xp, Task = task, Train = train, Optim = optim, Schedule = schedule, TensorBoard = tensorBoard, Catalog = catalog, Warnings = warnings, Platform = platform };
    }
}
