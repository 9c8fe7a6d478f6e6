namespace Loom.Search;

/// <summary>
/// Every combination, in a fixed order: each choice's values, and <c>points</c> evenly spaced values of each
/// numeric parameter (in log space for log parameters; every integer when there are at most that many).
/// A conditional parameter multiplies only the branches where it exists. Trial n gets combination n.
/// </summary>
public sealed class GridSampler : ISampler
{
    readonly int points;

    public GridSampler(int points = 5)
    {
        if (points < 2) throw new SearchException($"grid sampler: points must be at least 2, got {points}");
        this.points = points;
    }

    public int? Capacity(SearchSpace space) => Combinations(space).Count;

    public IReadOnlyDictionary<string, object> Propose(SearchSpace space, IReadOnlyList<Trial> finished, Direction direction, int number)
    {
        var all = Combinations(space);
        if (number >= all.Count) throw new SearchException($"grid sampler: trial {number} asked, the grid has {all.Count} combinations");
        return all[number];
    }

    public List<OrderedDictionary<string, object>> Combinations(SearchSpace space)
    {
        var partial = new List<OrderedDictionary<string, object>> { new(StringComparer.Ordinal) };
        foreach (var p in space.Parameters)
        {
            var next = new List<OrderedDictionary<string, object>>();
            foreach (var combo in partial)
            {
                if (!SearchSpace.IsActive(p, combo)) { next.Add(combo); continue; }
                foreach (var v in ValuesOf(p))
                    next.Add(new OrderedDictionary<string, object>(combo, StringComparer.Ordinal) { [p.Key] = v });
            }
            partial = next;
        }
        return partial;
    }

    IEnumerable<object> ValuesOf(SearchParameter p) => p switch
    {
        ChoiceParameter c => c.Values,
        FloatParameter f => Enumerable.Range(0, points).Select(i => Spaced(f, i)),
        IntParameter n when n.High - n.Low + 1 <= points => Enumerable.Range(0, (int)(n.High - n.Low + 1)).Select(i => (object)(n.Low + i)),
        IntParameter n => Enumerable.Range(0, points).Select(i => Spaced(n, i)).Distinct().Select(v => (object)v),
        _ => throw new SearchException($"grid sampler: unknown parameter kind {p.GetType().Name}"),
    };

    // The end points exactly (exp(log(1e-4)) is not 1e-4).
    object Spaced(FloatParameter f, int i) =>
        i == 0 ? f.Low : i == points - 1 ? f.High : f.FromInternal(f.InternalLow + i * (f.InternalHigh - f.InternalLow) / (points - 1));

    long Spaced(IntParameter n, int i)
    {
        double lo = n.Log ? Math.Log(n.Low) : n.Low, hi = n.Log ? Math.Log(n.High) : n.High;
        double x = lo + i * (hi - lo) / (points - 1);
        return n.Round(n.Log ? Math.Exp(x) : x);
    }
}
