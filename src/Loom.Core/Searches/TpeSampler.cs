namespace Loom.Searches;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate, with Optuna's defaults: random for the
/// first <c>startupTrials</c>; then the finished trials are ranked (complete ones by loss, pruned ones after,
/// those that went further first), the best γ(n) = min(⌈0.1 n⌉, 25) are "good" and the rest "bad"; each
/// parameter gets a density l(x) over the good trials' values and g(x) over the bad ones' (older trials
/// weigh less once there are more than 25), and the proposal is the best of <c>candidates</c> draws from
/// l by l(x)/g(x), the ratio that maximizes expected improvement. A conditional parameter only sees the
/// trials where it exists, which is what makes the estimators a tree.
/// </summary>
public sealed class TpeSampler : ISampler
{
    readonly int seed, startupTrials, candidates;
    readonly double priorWeight;
    readonly bool exactDensity;

    /// <param name="seed">Seeds every proposal's random stream, with the trial number.</param>
    /// <param name="startupTrials">Random trials before the estimators take over.</param>
    /// <param name="candidates">Draws from l(x) scored by l(x)/g(x) per proposal.</param>
    /// <param name="priorWeight">Weight of the wide prior kernel against each observation's.</param>
    /// <param name="exactDensity">The textbook mixture density; false (default) weighs each kernel by its width
    /// as Optuna 3.1 does (see ParzenEstimator).</param>
    public TpeSampler(int seed = 0, int startupTrials = 10, int candidates = 24, double priorWeight = 1.0, bool exactDensity = false)
    {
        this.exactDensity = exactDensity;
        if (startupTrials < 0) throw new SearchException($"TPE sampler: startupTrials must be >= 0, got {startupTrials}");
        if (candidates < 1) throw new SearchException($"TPE sampler: candidates must be >= 1, got {candidates}");
        if (!(priorWeight > 0)) throw new SearchException($"TPE sampler: priorWeight must be > 0, got {priorWeight}");
        (this.seed, this.startupTrials, this.candidates, this.priorWeight) = (seed, startupTrials, candidates, priorWeight);
    }

    public IReadOnlyDictionary<string, object> Propose(SearchSpace space, IReadOnlyList<Trial> finished, Direction direction, int number)
    {
        var rng = Seeds.For(seed, number);
        var usable = finished.Where(t => t.Value is double v && double.IsFinite(v) && t.State is TrialState.Complete or TrialState.Pruned).ToList();
        if (usable.Count(t => t.State == TrialState.Complete) < Math.Max(1, startupTrials)) return space.Fill(p => p.SampleUniform(rng));

        var ranked = usable.ToList();
        ranked.Sort((x, y) => Rank(x, y, direction));
        int nGood = Math.Min((int)Math.Ceiling(0.1 * ranked.Count), 25);
        var good = ranked.Take(nGood).OrderBy(t => t.Number).ToList();
        var bad = ranked.Skip(nGood).OrderBy(t => t.Number).ToList();
        return space.Fill(p => Suggest(p, good, bad, rng));
    }

    /// <summary>Complete trials first, by loss; then pruned ones, those that went further first; ties by number.</summary>
    static int Rank(Trial x, Trial y, Direction direction)
    {
        bool cx = x.State == TrialState.Complete, cy = y.State == TrialState.Complete;
        if (cx != cy) return cx ? -1 : 1;
        if (!cx && x.LastStep != y.LastStep) return (y.LastStep ?? 0).CompareTo(x.LastStep ?? 0);
        int byLoss = direction.Loss(x.Value!.Value).CompareTo(direction.Loss(y.Value!.Value));
        return byLoss != 0 ? byLoss : x.Number.CompareTo(y.Number);
    }

    object Suggest(SearchParameter p, List<Trial> good, List<Trial> bad, Random rng)
    {
        var g = ValuesOf(p.Key, good);
        var b = ValuesOf(p.Key, bad);
        var wg = Weights(g.Count);
        var wb = Weights(b.Count);
        switch (p)
        {
            case ChoiceParameter c:
            {
                var l = new CategoricalEstimator([.. g.Select(c.IndexOf)], wg, c.Values.Count, priorWeight);
                var h = new CategoricalEstimator([.. b.Select(c.IndexOf)], wb, c.Values.Count, priorWeight);
                return c.Values[Best(candidates, () => l.Sample(rng), i => l.LogDensity(i) - h.LogDensity(i))];
            }
            case FloatParameter f:
            {
                var l = new ParzenEstimator(Map(g, f.ToInternal), wg, f.InternalLow, f.InternalHigh, null, priorWeight, exactDensity);
                var h = new ParzenEstimator(Map(b, f.ToInternal), wb, f.InternalLow, f.InternalHigh, null, priorWeight, exactDensity);
                return f.FromInternal(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x)));
            }
            case IntParameter n when n.Log:
            {
                // In log space an integer's cells have unequal widths: model it as continuous, then round.
                double lo = Math.Log(n.Low - 0.5), hi = Math.Log(n.High + 0.5);
                var l = new ParzenEstimator(Map(g, v => Math.Log(Convert.ToDouble(v))), wg, lo, hi, null, priorWeight, exactDensity);
                var h = new ParzenEstimator(Map(b, v => Math.Log(Convert.ToDouble(v))), wb, lo, hi, null, priorWeight, exactDensity);
                return n.Round(Math.Exp(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x))));
            }
            case IntParameter n:
            {
                var l = new ParzenEstimator(Map(g, Convert.ToDouble), wg, n.Low, n.High, 1, priorWeight, exactDensity);
                var h = new ParzenEstimator(Map(b, Convert.ToDouble), wb, n.Low, n.High, 1, priorWeight, exactDensity);
                return n.Round(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x)));
            }
            default:
                throw new SearchException($"TPE sampler: unknown parameter kind {p.GetType().Name}");
        }
    }

    /// <summary>The values of <paramref name="key"/> in the trials that have it, in their order (one lookup per trial:
    /// with a thousand trials this loop runs millions of times).</summary>
    static List<object> ValuesOf(string key, List<Trial> trials)
    {
        var values = new List<object>(trials.Count);
        foreach (var t in trials)
            if (t.Params.TryGetValue(key, out var v)) values.Add(v);
        return values;
    }

    static double[] Map(List<object> values, Func<object, double> f)
    {
        var mapped = new double[values.Count];
        for (int i = 0; i < mapped.Length; i++) mapped[i] = f(values[i]);
        return mapped;
    }

    /// <summary>The draw with the highest score; the first one on ties, so that the result is deterministic.</summary>
    static T Best<T>(int count, Func<T> draw, Func<T, double> score)
    {
        T best = draw();
        double bestScore = score(best);
        for (int i = 1; i < count; i++)
        {
            T x = draw();
            double s = score(x);
            if (s > bestScore) (best, bestScore) = (x, s);
        }
        return best;
    }

    /// <summary>Optuna's default weights: flat up to 25 observations, then the older ones ramp down from 1 to 1/n.</summary>
    static double[] Weights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        int ramp = n - 25;
        var w = new double[n];
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1 - 1.0 / n) / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1;
        return w;
    }
}
