namespace Loom.Search;

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

    public TpeSampler(int seed = 0, int startupTrials = 10, int candidates = 24, double priorWeight = 1.0)
    {
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

        var ranked = usable.OrderBy(t => t.State == TrialState.Complete ? 0 : 1)
                           .ThenByDescending(t => t.State == TrialState.Complete ? 0 : t.LastStep ?? 0)
                           .ThenBy(t => direction.Loss(t.Value!.Value))
                           .ThenBy(t => t.Number).ToList();
        int nGood = Math.Min((int)Math.Ceiling(0.1 * ranked.Count), 25);
        var good = ranked.Take(nGood).OrderBy(t => t.Number).ToList();
        var bad = ranked.Skip(nGood).OrderBy(t => t.Number).ToList();
        return space.Fill(p => Suggest(p, good, bad, rng));
    }

    object Suggest(SearchParameter p, List<Trial> good, List<Trial> bad, Random rng)
    {
        var g = good.Where(t => t.Params.ContainsKey(p.Key)).ToList();
        var b = bad.Where(t => t.Params.ContainsKey(p.Key)).ToList();
        var wg = Weights(g.Count);
        var wb = Weights(b.Count);
        switch (p)
        {
            case ChoiceParameter c:
            {
                var l = new CategoricalEstimator([.. g.Select(t => c.IndexOf(t.Params[c.Key]))], wg, c.Values.Count, priorWeight);
                var h = new CategoricalEstimator([.. b.Select(t => c.IndexOf(t.Params[c.Key]))], wb, c.Values.Count, priorWeight);
                return c.Values[Best(candidates, () => l.Sample(rng), i => l.LogDensity(i) - h.LogDensity(i))];
            }
            case FloatParameter f:
            {
                var l = new ParzenEstimator([.. g.Select(t => f.ToInternal(t.Params[f.Key]))], wg, f.InternalLow, f.InternalHigh, null, priorWeight);
                var h = new ParzenEstimator([.. b.Select(t => f.ToInternal(t.Params[f.Key]))], wb, f.InternalLow, f.InternalHigh, null, priorWeight);
                return f.FromInternal(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x)));
            }
            case IntParameter n when n.Log:
            {
                // In log space an integer's cells have unequal widths: model it as continuous, then round.
                double lo = Math.Log(n.Low - 0.5), hi = Math.Log(n.High + 0.5);
                var l = new ParzenEstimator([.. g.Select(t => Math.Log(Convert.ToDouble(t.Params[n.Key])))], wg, lo, hi, null, priorWeight);
                var h = new ParzenEstimator([.. b.Select(t => Math.Log(Convert.ToDouble(t.Params[n.Key])))], wb, lo, hi, null, priorWeight);
                return n.Round(Math.Exp(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x))));
            }
            case IntParameter n:
            {
                var l = new ParzenEstimator([.. g.Select(t => Convert.ToDouble(t.Params[n.Key]))], wg, n.Low, n.High, 1, priorWeight);
                var h = new ParzenEstimator([.. b.Select(t => Convert.ToDouble(t.Params[n.Key]))], wb, n.Low, n.High, 1, priorWeight);
                return n.Round(Best(candidates, () => l.Sample(rng), x => l.LogDensity(x) - h.LogDensity(x)));
            }
            default:
                throw new SearchException($"TPE sampler: unknown parameter kind {p.GetType().Name}");
        }
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
