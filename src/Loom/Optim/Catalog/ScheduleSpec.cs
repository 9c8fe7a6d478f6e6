using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim;

/// <summary>
/// One LR schedule as `schedule.name` names it: its name, the closed record of its own keys (beside the warm-up keys every
/// schedule shares), their validation and how to build it. Derive from <see cref="ScheduleSpec{TOptions}"/>.
/// </summary>
public interface IScheduleSpec
{
    string Name { get; }

    Type OptionsType { get; }

    /// <summary>Whether the schedule reads the monitored metric (<see cref="LrSchedule.EpochEnded"/>): the trainer then requires one.</summary>
    bool NeedsMetric => false;

    /// <summary><paramref name="epochs"/>: the run's length.</summary>
    void Validate(ScheduleSettings settings, int epochs);

    /// <summary>The schedule from <paramref name="baseLr"/> (`optim.lr` after the scaling rule); <paramref name="maximize"/>: the monitored metric's direction.</summary>
    LrSchedule Create(ScheduleSettings settings, double baseLr, int epochs, bool maximize);
}

/// <summary>A schedule spec whose own keys bind to <typeparamref name="TOptions"/>.</summary>
public abstract class ScheduleSpec<TOptions>(string name) : IScheduleSpec where TOptions : class, new()
{
    public string Name { get; } = name;

    public Type OptionsType => typeof(TOptions);

    public virtual bool NeedsMetric => false;

    /// <summary>The options of <paramref name="settings"/>: the record bound from the config or given with
    /// <see cref="ScheduleSettings.WithOptions"/>, else the record's defaults; another schedule's record is refused.</summary>
    public TOptions OptionsOf(ScheduleSettings settings) => SpecOptions.Of<TOptions>(settings.Options, "schedule", Name);

    public virtual void Validate(ScheduleSettings settings, TOptions options, int epochs) { }

    public abstract LrSchedule Create(TOptions options, double baseLr, int epochs, bool maximize);

    void IScheduleSpec.Validate(ScheduleSettings settings, int epochs) => Validate(settings, OptionsOf(settings), epochs);

    LrSchedule IScheduleSpec.Create(ScheduleSettings settings, double baseLr, int epochs, bool maximize) => Create(OptionsOf(settings), baseLr, epochs, maximize);
}
