using Loom.Config;
using Loom.Experiments;
using Loom.Optim;
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
    public required Reporting.TensorBoard.TensorBoardOptions TensorBoard { get; init; }

    public static PreparedXp Prepare(Xp xp, Func<ITaskDefinition> newTask)
    {
        var config = xp.Config;
        RequiredKeys.Check(xp.Argv);
        IO.OutputsFolder.Check(Path.GetDirectoryName(Path.GetDirectoryName(xp.Folder))!); // <outputs>/xps/<sig>
        var train = config.Bind<TrainSettings>();
        var optim = config.Has("optim") ? config.Bind<OptimSettings>("optim") : new OptimSettings();
        var schedule = config.Has("schedule") ? config.Bind<ScheduleSettings>("schedule") : new ScheduleSettings();
        var tensorBoard = config.Has("loom.tensorboard") ? config.Bind<Reporting.TensorBoard.TensorBoardOptions>("loom.tensorboard") : new();
        if (tensorBoard.EveryNSteps < 0)
            throw new ConfigException($"loom.tensorboard.every_n_steps={tensorBoard.EveryNSteps}: expected 0 (epochs only) or a positive number of batches");
        var task = newTask();
        task.Bind(config);
        TrainSettingsValidator.Validate(train, task);
        OptimSettingsValidator.Validate(optim, schedule, train.Epochs);
        OptimKeys.Check(config);
        task.Validate();
        return new PreparedXp { Xp = xp, Task = task, Train = train, Optim = optim, Schedule = schedule, TensorBoard = tensorBoard };
    }
}
