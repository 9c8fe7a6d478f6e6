namespace Loom.Search;

/// <summary>
/// TPE's density of one numeric parameter: a weighted mixture of normals truncated to [low, high], one per
/// observation plus a wide prior at the centre. Each bandwidth is the larger gap to a neighbouring
/// observation, clipped to [(high - low) / min(100, 1 + n), high - low] (Bergstra's "magic clip"), so that
/// few observations give wide bumps and many give narrow ones. A discrete parameter (an integer) is a mass
/// over [x - step/2, x + step/2]. Values are in the parameter's internal space (log space for log ones).
/// </summary>
sealed class ParzenEstimator
{
    readonly double[] weights, mus, sigmas, logMass;
    readonly double low, high;
    readonly double? step;

    public ParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights, double low, double high, double? step, double priorWeight)
    {
        this.step = step;
        (this.low, this.high) = step is double s ? (low - s / 2, high + s / 2) : (low, high);
        double range = this.high - this.low;
        int n = observations.Count;
        mus = [.. observations, 0.5 * (this.low + this.high)];
        weights = [.. observationWeights, priorWeight];
        double total = weights.Sum();
        for (int i = 0; i < weights.Length; i++) weights[i] /= total;

        sigmas = new double[n + 1];
        var order = Enumerable.Range(0, n + 1).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        for (int r = 0; r < order.Length; r++)
        {
            double left = r > 0 ? mus[order[r]] - mus[order[r - 1]] : double.NaN;
            double right = r < order.Length - 1 ? mus[order[r + 1]] - mus[order[r]] : double.NaN;
            // The end points take their one inner gap, not the distance to the bound.
            sigmas[order[r]] = double.IsNaN(left) ? (double.IsNaN(right) ? range : right) : double.IsNaN(right) ? left : Math.Max(left, right);
        }
        sigmas[n] = range; // the prior stays wide
        double minSigma = range / Math.Min(100.0, 1.0 + mus.Length);
        for (int i = 0; i < sigmas.Length; i++) sigmas[i] = Math.Clamp(sigmas[i], minSigma, range);
        logMass = [.. mus.Select((mu, i) => Math.Log(TruncatedNormal.Mass(mu, sigmas[i], this.low, this.high)))];
    }

    public double Sample(Random rng)
    {
        int k = Pick(rng, weights);
        double x = TruncatedNormal.Sample(rng, mus[k], sigmas[k], low, high);
        if (step is double s)
        {
            double lo = low + s / 2, hi = high - s / 2;
            x = Math.Clamp(lo + Math.Round((x - lo) / s) * s, lo, hi);
        }
        return x;
    }

    public double LogDensity(double x)
    {
        var terms = new double[mus.Length];
        for (int k = 0; k < mus.Length; k++)
        {
            double logP = step is double s
                ? Math.Log(Math.Max(TruncatedNormal.Mass(mus[k], sigmas[k], x - s / 2, x + s / 2), 1e-300))
                : TruncatedNormal.LogPdf(x, mus[k], sigmas[k]);
            terms[k] = Math.Log(weights[k]) + logP - logMass[k];
        }
        return LogSumExp(terms);
    }

    internal static int Pick(Random rng, double[] probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++) { acc += probabilities[i]; if (u < acc) return i; }
        return probabilities.Length - 1;
    }

    static double LogSumExp(double[] xs)
    {
        double max = xs.Max();
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(xs.Sum(x => Math.Exp(x - max)));
    }
}
