using Loom.Distributed;
using Loom.Logging;
using Loom.Optim;

namespace Loom.Training;

/// <summary>What the trainer needs besides the task: where the XP lives, Loom's own settings, the process.</summary>
public sealed record TrainerOptions
{
    public required string XpFolder { get; init; }
    /// <summary>The XP the folder belongs to, handed to the task in its <see cref="Tasks.TaskContext"/> (null for a bare folder).</summary>
    public Experiments.Xp? Xp { get; init; }
    public TrainSettings Train { get; init; } = new();
    public OptimSettings Optim { get; init; } = new();
    public ScheduleSettings Schedule { get; init; } = new();
    /// <summary>The optimizers and schedules <see cref="Optim"/> and <see cref="Schedule"/> may name (default: Loom's own).</summary>
    public OptimCatalog Catalog { get; init; } = OptimCatalog.BuiltIn();
    /// <summary>The resolved config, stored in every checkpoint for reference.</summary>
    public string ConfigYaml { get; init; } = "{}";
    public required LogSink Sink { get; init; }
    public ProcessContext Process { get; init; } = ProcessContext.Single;
    /// <summary>Observers of the fit, called in this order after Loom's own (progress, early stopping).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
    /// <summary>
    /// How the fit is spread over processes. Null (the default): <see cref="SingleDeviceStrategy"/> for one process,
    /// <see cref="DataParallel"/> when <see cref="Process"/> has several ranks; the trainer disposes the one it creates.
    /// </summary>
    public ITrainingStrategy? Strategy { get; init; }
    /// <summary>
    /// Read at every optimizer step (e.g. Slurm's USR1 before a time limit or a preemption; with several ranks it travels
    /// in the step's gradient all-reduce, so all agree): when it says stop, the trainer writes a mid-epoch checkpoint after
    /// that step and throws <see cref="FitInterruptedException"/>; the same XP started again continues from that batch
    /// exactly. Null: never.
    /// </summary>
    public Func<bool>? StopRequested { get; init; }
}

/// <summary>The fit stopped on request after a mid-epoch checkpoint (see <see cref="TrainerOptions.StopRequested"/>).</summary>
public sealed class FitInterruptedException(int epoch, int batch) : Exception($"stopped on request at epoch {epoch}, batch {batch}; checkpoint written")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
}
