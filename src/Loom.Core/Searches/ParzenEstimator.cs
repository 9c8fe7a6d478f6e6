using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Loom.Searches;

/// <summary>
/// TPE's density of one numeric parameter: a weighted mixture of normals truncated to [low, high], one per
/// observation plus a wide prior at the centre. Each bandwidth is the larger gap to a neighbouring
/// observation, clipped to [(high - low) / min(100, 1 + n), high - low] (Bergstra's "magic clip"), so that
/// few observations give wide bumps and many give narrow ones. A discrete parameter (an integer) is a mass
/// over [x - step/2, x + step/2]. Values are in the parameter's internal space (log space for log ones).
/// </summary>
sealed class ParzenEstimator
{
    readonly double[] weights, mus, sigmas, logMass, offsets, inverseSigmas;
    readonly double low, high;
    readonly double? step;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ParzenEstimator(IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights, double low, double high, double? step, double priorWeight, bool exactDensity = false)
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
        var order = new int[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        Array.Sort((double[])mus.Clone(), order); // deterministic for equal values too
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
        // log w_k − log Z_k − log σ_k − ½ log 2π: what each component adds to its Gaussian exponent, computed once.
        inverseSigmas = [.. sigmas.Select(sd => 1 / sd)];
        // Not exact by default, as Optuna 3.1: its truncnorm.logpdf (optuna/samplers/_tpe/_truncnorm.py) leaves out
        // −log σ_k, so each kernel also weighs by its width. Measured better on the benchmark functions
        // (docs/benchmarks.md, issue 22); exactDensity gives the textbook mixture.
        offsets = [.. weights.Select((w, k) => Math.Log(w) - logMass[k] - (exactDensity ? Math.Log(sigmas[k]) : 0) - 0.5 * Math.Log(2 * Math.PI))];
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

    // Straight to optimized code: tiering would run these loops unoptimized for most of a short search.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double LogDensity(double x)
    {
        // log Σ_k exp(term_k) by hand, vectorized: this loop is TPE's whole cost (candidates × observations).
        int n = mus.Length;
        double[] terms = new double[n];
        if (step is double s)
            for (int k = 0; k < n; k++)
                terms[k] = Math.Log(weights[k]) + Math.Log(Math.Max(TruncatedNormal.Mass(mus[k], sigmas[k], x - s / 2, x + s / 2), 1e-300)) - logMass[k];
        else
        {
            double[] m = mus, inv = inverseSigmas, off = offsets;
            for (int k = 0; k < n; k++)
            {
                double z = (x - m[k]) * inv[k];
                terms[k] = off[k] - 0.5 * z * z;
            }
        }
        double max = double.NegativeInfinity;
        foreach (double t in terms) if (t > max) max = t;
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(SumExp(terms, max));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double SumExp(ReadOnlySpan<double> terms, double max)
    {
        double sum = 0;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            var shift = Vector256.Create(max);
            for (; k + 4 <= terms.Length; k += 4) acc += Vector256.Exp(Vector256.Create(terms.Slice(k, 4)) - shift);
            sum = Vector256.Sum(acc);
        }
        for (; k < terms.Length; k++) sum += Math.Exp(terms[k] - max);
        return sum;
    }

    internal static int Pick(Random rng, double[] probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++) { acc += probabilities[i]; if (u < acc) return i; }
        return probabilities.Length - 1;
    }
}
