using MathNet.Numerics.Distributions;

namespace Loom.Searches;

/// <summary>A normal distribution cut to [low, high]: draws by inverting the CDF, log-density and interval mass.</summary>
static class TruncatedNormal
{
    const double Eps = 1e-12;

    public static double Sample(Random rng, double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        // In the right tail Φ rounds to 1; mirror it into the left tail, where Φ keeps its digits.
        bool mirror = a > 0;
        if (mirror) (a, b) = (-b, -a);
        double pa = Phi(a), pb = Phi(b);
        double z = pb - pa < 1e-300 ? a + rng.NextDouble() * (b - a) : Normal.InvCDF(0, 1, pa + rng.NextDouble() * (pb - pa));
        z = Math.Clamp(z, a, b);
        return mu + sigma * (mirror ? -z : z);
    }

    /// <summary>The mass of the normal in [low, high] (the truncation's normalizer), floored at a tiny positive value.</summary>
    public static double Mass(double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        double mass = a > 0 ? Phi(-a) - Phi(-b) : Phi(b) - Phi(a);
        return Math.Max(mass, Eps);
    }

    /// <summary>Φ, exact to double precision without computing it beyond ±8.5σ (Φ(-8.5) ≈ 1e-17): most of
    /// TPE's narrow components lie far inside the bounds, and this call is the estimators' main cost.</summary>
    static double Phi(double z) => z <= -8.5 ? 0 : z >= 8.5 ? 1 : Normal.CDF(0, 1, z);

    public static double LogPdf(double x, double mu, double sigma)
    {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
    }
}
