namespace Loom.Search;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020): rungs at minSteps·η^k steps below maxSteps. A
/// trial that reaches a rung goes on only if its value there is among the best ⌊n/η⌋ (at least one) of the
/// n trials that have reached that rung so far; otherwise it is pruned at that rung. No trial waits for
/// others, so a driver never idles; early trials are promoted more easily, as in the paper.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    public int MinSteps { get; }
    public int MaxSteps { get; }
    public int Eta { get; }

    public SuccessiveHalvingPruner(int minSteps, int maxSteps, int eta = 3)
    {
        if (eta < 2) throw new SearchException($"successive halving: eta (the reduction factor) must be at least 2, got {eta}");
        if (minSteps < 1) throw new SearchException($"successive halving: min epochs must be at least 1, got {minSteps}");
        if (maxSteps <= minSteps) throw new SearchException($"successive halving: max epochs must exceed min epochs, got min={minSteps} max={maxSteps}");
        (MinSteps, MaxSteps, Eta) = (minSteps, maxSteps, eta);
    }

    public IReadOnlyList<int> Rungs(int maxSteps)
    {
        var rungs = new List<int>();
        for (long r = MinSteps; r < Math.Min(MaxSteps, maxSteps); r *= Eta) rungs.Add((int)r);
        rungs.Add(Math.Min(MaxSteps, maxSteps));
        return rungs;
    }

    public bool ShouldPrune(Trial trial, int step, IReadOnlyList<Trial> trials, Direction direction)
    {
        var rungs = Rungs(MaxSteps);
        if (!rungs.Contains(step) || step == rungs[^1] || !trial.Intermediate.TryGetValue(step, out double value)) return false;
        var competitors = trials.Where(t => t.Number != trial.Number && t.Intermediate.ContainsKey(step))
                                .Select(t => direction.Loss(t.Intermediate[step])).Append(direction.Loss(value)).Order().ToList();
        int keep = Math.Max(1, competitors.Count / Eta);
        return direction.Loss(value) > competitors[keep - 1];
    }
}
