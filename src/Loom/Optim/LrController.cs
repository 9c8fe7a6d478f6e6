using System.Text.Json.Nodes;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// Sets the optimizer's LR before every step: scaled base LR → epoch schedule → warm-up factor → each group's scale. Its state
/// (optimizer steps taken, the schedule's own state) goes into the checkpoint and is restored on resume.
/// </summary>
public sealed class LrController
{
    readonly LrSchedule schedule;
    readonly LinearWarmup warmup;

    public LrController(LrSchedule schedule, LinearWarmup warmup)
    {
        this.schedule = schedule;
        this.warmup = warmup;
    }

    /// <summary>Optimizer steps taken so far (the clock of a per-step warm-up).</summary>
    public long Steps { get; private set; }

    /// <summary>The LR of the latest <see cref="Apply"/>.</summary>
    public double Current { get; private set; }

    /// <summary>Each optimizer param group's LR as a multiple of the scheduled one, in order (<see cref="ParameterGroup.LrScale"/>); groups past its end: 1.</summary>
    public IReadOnlyList<double> GroupScales { get; init; } = [];

    /// <summary>With Loom's own schedules and one parameter group.</summary>
    public static LrController Create(ScheduleSettings schedule, OptimSettings optim, int batchSize, int epochs, bool maximize) =>
        Create(OptimCatalog.Default, schedule, optim, batchSize, epochs, maximize, []);

    /// <summary>The schedule <paramref name="catalog"/> names, scaling the LR of the groups by <paramref name="groupScales"/>.</summary>
    public static LrController Create(OptimCatalog catalog, ScheduleSettings schedule, OptimSettings optim, int batchSize, int epochs, bool maximize,
        IReadOnlyList<double> groupScales)
    {
        double baseLr = LrScaling.Scale(optim.Lr, optim.ScaleLr, batchSize * optim.Accumulate, optim.ReferenceBatchSize);
        bool perStep = schedule.WarmupSteps > 0;
        var warmup = new LinearWarmup(perStep ? schedule.WarmupSteps : schedule.WarmupEpochs, schedule.WarmupStartFactor, perStep);
        return new LrController(catalog.Schedule(schedule.Name).Create(schedule, baseLr, epochs, maximize), warmup) { GroupScales = groupScales };
    }

    /// <summary>The LR of the next step in epoch <paramref name="epoch"/> (0-based).</summary>
    public double At(int epoch) => schedule.At(epoch) * warmup.Factor(warmup.PerStep ? Steps : epoch);

    /// <summary>Sets every param group's LR for the next optimizer step: the scheduled LR times the group's scale (the
    /// schedule scales each group's LR, so their ratios hold through warm-up and decay).</summary>
    public void Apply(TorchSharp.Modules.OptimizerHelper optimizer, int epoch)
    {
        Current = At(epoch);
        int index = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            double scale = index < GroupScales.Count ? GroupScales[index] : 1;
            group.LearningRate = scale == 1 ? Current : Current * scale;
            index++;
        }
    }

    public void Stepped() => Steps++;

    public void EpochEnded(double metric) => schedule.EpochEnded(metric);

    public JsonObject State() => new() { ["steps"] = Steps, ["schedule"] = schedule.State() };

    public void Restore(JsonObject? state)
    {
        if (state is null) return;
        Steps = state["steps"]!.GetValue<long>();
        schedule.Restore(state["schedule"] as JsonObject ?? new JsonObject());
    }
}
