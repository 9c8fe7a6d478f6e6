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
    public ParzenEstimator(double[] observations, double[] observationWeights, double low, double high, double? step, double priorWeight, bool exactDensity = false)
    {
        this.step = step;
        (this.low, this.high) = step is double s ? (low - s / 2, high + s / 2) : (low, high);
        double range = this.high - this.low;
        int n = observations.Length;
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
        // log w_k − log Z_k − log σ_k − ½ log 2π: what each component adds to its Gaussian exponent, computed once.
        // Not exact by default, as Optuna 3.1: its truncnorm.logpdf (optuna/samplers/_tpe/_truncnorm.py) leaves out
        // −log σ_k, so each kernel also weighs by its width. Measured better on the benchmark functions
        // (docs/benchmarks.md, issue 22); exactDensity gives the textbook mixture.
        logMass = new double[n + 1];
        inverseSigmas = new double[n + 1];
        offsets = new double[n + 1];
        for (int k = 0; k <= n; k++)
        {
            logMass[k] = Math.Log(TruncatedNormal.Mass(mus[k], sigmas[k], this.low, this.high));
            inverseSigmas[k] = 1 / sigmas[k];
            offsets[k] = Math.Log(weights[k]) - logMass[k] - (exactDensity ? Math.Log(sigmas[k]) : 0) - 0.5 * Math.Log(2 * Math.PI);
        }
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
        // The terms live in one buffer per thread (a search of 1,000 trials asks ~300,000 densities: an array each was
        // ~1 GB of garbage; stackalloc would zero it every time).
        int n = mus.Length;
        Span<double> terms = (scratch is { } b && b.Length >= n ? b : scratch = new double[Math.Max(n, 2 * (scratch?.Length ?? 0))]).AsSpan(0, n);
        double max = double.NegativeInfinity;
        if (step is double s)
        {
            for (int k = 0; k < n; k++)
                terms[k] = Math.Log(weights[k]) + Math.Log(Math.Max(TruncatedNormal.Mass(mus[k], sigmas[k], x - s / 2, x + s / 2), 1e-300)) - logMass[k];
            foreach (double t in terms) if (t > max) max = t;
        }
        else max = GaussianTerms(x, terms);
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(SumExp(terms, max));
    }

    [ThreadStatic] static double[]? scratch;

    /// <summary>
    /// terms[k] = offsets[k] − ½ z² with z = (x − μ_k)/σ_k, four at a time, and their maximum. The same operations in
    /// the same order as the scalar loop (IEEE arithmetic, lane by lane; .NET contracts nothing into FMA), hence
    /// the same bits; the maximum of finite values is exact in any order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double GaussianTerms(double x, Span<double> terms)
    {
        ReadOnlySpan<double> m = mus, inv = inverseSigmas, off = offsets;
        double max = double.NegativeInfinity;
        int k = 0;
        if (Vector256.IsHardwareAccelerated && terms.Length >= 4)
        {
            var xv = Vector256.Create(x);
            var half = Vector256.Create(0.5);
            var maxv = Vector256.Create(double.NegativeInfinity);
            for (; k + 4 <= terms.Length; k += 4)
            {
                var z = (xv - Vector256.Create(m.Slice(k, 4))) * Vector256.Create(inv.Slice(k, 4));
                var t = Vector256.Create(off.Slice(k, 4)) - half * z * z;
                t.CopyTo(terms.Slice(k, 4));
                maxv = Vector256.Max(maxv, t);
            }
            for (int lane = 0; lane < 4; lane++) max = Math.Max(max, maxv[lane]);
        }
        for (; k < terms.Length; k++)
        {
            double z = (x - m[k]) * inv[k];
            terms[k] = off[k] - 0.5 * z * z;
            if (terms[k] > max) max = terms[k];
        }
        return max;
    }

    /// <summary>
    /// Σ exp(terms − max), bit for bit what <c>Vector256.Exp</c> over groups of 4 then <c>Math.Exp</c> over the tail
    /// give, only faster. Vector256.Exp computes a group whose every |x| ≤ 708 with its polynomial and any other
    /// group lane by lane with Math.Exp (its scalar fallback); in TPE most groups hold a far kernel (x ≪ −708), so
    /// most went through libm's underflow path (errno, __kernel_standard): ~80 % of a proposal's time. Here such a
    /// group is computed lane by lane as the fallback does, except that a lane below −746, whose exp is exactly +0,
    /// is not handed to libm. The same groups, the same functions, the same order of additions: the same sum, so
    /// the same proposals (bench/search: `proposals` before and after, identical).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static double SumExp(ReadOnlySpan<double> terms, double max)
    {
        double sum = 0;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            var shift = Vector256.Create(max);
            var polynomialRange = Vector256.Create(VectorExpMaxArgument);
            for (; k + 4 <= terms.Length; k += 4)
            {
                var x = Vector256.Create(terms.Slice(k, 4)) - shift;
                if (Vector256.LessThanOrEqualAll(Vector256.Abs(x).AsUInt64(), polynomialRange)) acc += Vector256.Exp(x);
                else acc += Vector256.Create(ExpOrZero(x[0]), ExpOrZero(x[1]), ExpOrZero(x[2]), ExpOrZero(x[3]));
            }
            sum = Vector256.Sum(acc);
        }
        for (; k < terms.Length; k++) sum += ExpOrZero(terms[k] - max);
        return sum;
    }

    /// <summary>The bits of 708.0: the largest |x| that <c>Vector256.Exp</c> computes with its polynomial (.NET's
    /// VectorMath.ExpDouble, V_ARG_MAX); a group with a larger one falls back to Math.Exp per lane.</summary>
    const ulong VectorExpMaxArgument = 0x40862000_00000000;

    /// <summary>Math.Exp(x), without calling it where it is exactly +0 (x &lt; −746; exp(−745.2) already rounds to 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double ExpOrZero(double x) => x < -746 ? 0 : Math.Exp(x);

    internal static int Pick(Random rng, double[] probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++) { acc += probabilities[i]; if (u < acc) return i; }
        return probabilities.Length - 1;
    }
}
