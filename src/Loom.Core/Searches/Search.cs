using System.Text.RegularExpressions;

namespace Loom.Searches;

/// <summary>
/// A hyper-parameter search written as code, like a <see cref="Grids.Grid"/>: the space, the fixed overrides,
/// the objective (a history metric and its direction), the budget, the sampler and the pruner. Every trial is
/// an ordinary XP: the fixed overrides, <c>epochs=Epochs</c> and the trial's parameters. Found by reflection
/// (a non-abstract subclass with a parameterless constructor) and named after its class in snake case:
/// `LectureSearch` → `lecture_search`.
/// </summary>
public abstract class Search
{
    public abstract SearchSpace Space { get; }

    /// <summary>Overrides every trial shares (data size, threads, the validation split).</summary>
    public virtual IReadOnlyList<string> Fixed => [];

    /// <summary>
    /// `split.metric` of history.json, e.g. `valid.accuracy`. Its direction is the one the task declares for the
    /// metric (<see cref="Experiments.MetricSpec"/>, the trials' metrics.json), never written twice: `loom search`
    /// resolves it before anything runs and refuses a metric the task does not write.
    /// </summary>
    public abstract string Objective { get; }

    /// <summary>How many trials in all, and how many run at once.</summary>
    public abstract int Trials { get; }
    public virtual int Parallel => 1;

    /// <summary>The full epoch budget of a trial (its <c>epochs</c> key, part of its identity).</summary>
    public abstract int Epochs { get; }

    public virtual int Seed => 0;
    public virtual ISampler Sampler => new TpeSampler(Seed);
    public virtual IPruner Pruner => new NonePruner();
    public virtual string Description => "";

    public static string NameOf(Type type) => Regex.Replace(type.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();

    /// <summary>Throws a <see cref="SearchException"/> for a budget that cannot run.</summary>
    public void Validate(string name)
    {
        Space.Validate();
        if (Trials < 1) throw new SearchException($"search '{name}': a budget of at least 1 trial is needed, got Trials={Trials}");
        if (Parallel < 1) throw new SearchException($"search '{name}': Parallel must be at least 1, got {Parallel}");
        if (Epochs < 1) throw new SearchException($"search '{name}': Epochs must be at least 1, got {Epochs}");
        if (Pruner is SuccessiveHalvingPruner sh && sh.MaxSteps != Epochs)
            throw new SearchException($"search '{name}': successive halving's max epochs ({sh.MaxSteps}) must equal Epochs ({Epochs})");
    }
}
