namespace Loom.Search;

/// <summary>
/// A search on a plain function, no training: ask for a trial, evaluate it, tell the result. The sampler
/// sees the finished trials in the order they were told, so the same seed and the same order of results
/// give the same proposals. <see cref="Optimize"/> runs the loop one trial at a time.
/// </summary>
public sealed class Study
{
    readonly List<Trial> trials = [];
    readonly List<Trial> finished = [];

    public Study(SearchSpace space, ISampler sampler, Direction direction = Direction.Minimize, IPruner? pruner = null)
    {
        space.Validate();
        (Space, Sampler, Direction, Pruner) = (space, sampler, direction, pruner ?? new NonePruner());
    }

    public SearchSpace Space { get; }
    public ISampler Sampler { get; }
    public Direction Direction { get; }
    public IPruner Pruner { get; }
    public IReadOnlyList<Trial> Trials => trials;

    /// <summary>The best complete trial, or null when none is complete.</summary>
    public Trial? Best => trials.Where(t => t.State == TrialState.Complete && t.Value is double)
                                .OrderBy(t => Direction.Loss(t.Value!.Value)).ThenBy(t => t.Number).FirstOrDefault();

    public Trial Ask()
    {
        var trial = new Trial(trials.Count, Sampler.Propose(Space, finished, Direction, trials.Count))
        {
            PruneCheck = (t, step) => Pruner.ShouldPrune(t, step, trials, Direction),
        };
        trials.Add(trial);
        return trial;
    }

    public void Tell(Trial trial, TrialState state, double? value = null)
    {
        if (trial.State != TrialState.Running) throw new SearchException($"trial {trial.Number} is already {trial.State}");
        if (state == TrialState.Complete && value is not double) throw new SearchException($"trial {trial.Number}: a complete trial needs a value");
        trial.Finish(state, value);
        finished.Add(trial);
    }

    public void Optimize(Func<Trial, double> objective, int count)
    {
        if (count < 1) throw new SearchException($"a search needs a budget of at least 1 trial, got {count}");
        if (Sampler.Capacity(Space) is int capacity) count = Math.Min(count, capacity - trials.Count);
        for (int i = 0; i < count; i++)
        {
            var trial = Ask();
            try
            {
                double value = objective(trial);
                Tell(trial, double.IsFinite(value) ? TrialState.Complete : TrialState.Failed, double.IsFinite(value) ? value : null);
            }
            catch (TrialPrunedException) { Tell(trial, TrialState.Pruned); }
        }
    }
}
