namespace Loom.Search;

/// <summary>
/// Stops a trial whose value at a step is worse than the median of the values that earlier finished trials
/// reported at that step; it waits for <c>startupTrials</c> finished trials and lets every trial run
/// <c>warmupSteps</c> steps first (Optuna's MedianPruner, Google Vizier's median stopping rule).
/// </summary>
public sealed class MedianPruner : IPruner
{
    readonly int startupTrials, warmupSteps, interval;

    public MedianPruner(int startupTrials = 5, int warmupSteps = 0, int interval = 1)
    {
        if (startupTrials < 0) throw new SearchException($"median pruner: startupTrials must be >= 0, got {startupTrials}");
        if (warmupSteps < 0) throw new SearchException($"median pruner: warmupSteps must be >= 0, got {warmupSteps}");
        if (interval < 1) throw new SearchException($"median pruner: interval must be >= 1, got {interval}");
        (this.startupTrials, this.warmupSteps, this.interval) = (startupTrials, warmupSteps, interval);
    }

    public bool ShouldPrune(Trial trial, int step, IReadOnlyList<Trial> trials, Direction direction)
    {
        if (step <= warmupSteps || !trial.Intermediate.TryGetValue(step, out double value)) return false;
        var peers = trials.Where(t => t.Number != trial.Number && t.State == TrialState.Complete).ToList();
        if (peers.Count < startupTrials) return false;
        var atStep = peers.Where(t => t.Intermediate.ContainsKey(step)).Select(t => direction.Loss(t.Intermediate[step])).Order().ToList();
        if (atStep.Count == 0) return false;
        double median = atStep.Count % 2 == 1 ? atStep[atStep.Count / 2] : 0.5 * (atStep[atStep.Count / 2 - 1] + atStep[atStep.Count / 2]);
        return direction.Loss(value) > median;
    }

    public IReadOnlyList<int> Rungs(int maxSteps) =>
        [.. Enumerable.Range(1, maxSteps).Where(s => s == maxSteps || (s > warmupSteps && (s - warmupSteps) % interval == 0))];
}
