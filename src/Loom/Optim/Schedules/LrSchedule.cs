using System.Text.Json.Nodes;
using Loom.Training;

namespace Loom.Optim.Schedules;

/// <summary>
/// A learning-rate schedule over epochs, in PyTorch's closed form (`_get_closed_form_lr`): the LR of an epoch
/// is a function of the base LR and the epoch index, so resuming needs no state except for
/// <see cref="ReduceLrOnPlateau"/>, which depends on the metrics seen. Loom owns this state because
/// TorchSharp's schedulers have no state_dict.
/// </summary>
public abstract class LrSchedule(double baseLr)
{
    public static readonly string[] Names = [.. OptimCatalog.Default.ScheduleNames];

    public double BaseLr { get; } = baseLr;

    /// <summary>The LR during epoch <paramref name="epoch"/> (0-based: the number of epochs completed before it).</summary>
    public abstract double At(int epoch);

    /// <summary>Called after each epoch with the monitored metric (only the plateau schedule uses it).</summary>
    public virtual void EpochEnded(double metric) { }

    public virtual JsonObject State() => new();

    public virtual void Restore(JsonObject state) { }

    /// <summary>
    /// Loom's own schedule named by <paramref name="s"/> (<see cref="OptimCatalog.BuiltIn"/>).
    /// <paramref name="epochs"/> is the run's length (cosine's default half-period); <paramref name="maximize"/> says
    /// whether the monitored metric improves upwards (accuracy): plateau's mode.
    /// </summary>
    public static LrSchedule Create(ScheduleSettings s, double baseLr, int epochs, bool maximize) => OptimCatalog.Default.Schedule(s.Name).Create(s, baseLr, epochs, maximize);
}
