using MathNet.Numerics.Distributions;

namespace Loom.Search;

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
        double pa = Normal.CDF(0, 1, a), pb = Normal.CDF(0, 1, b);
        double z = pb - pa < 1e-300 ? a + rng.NextDouble() * (b - a) : Normal.InvCDF(0, 1, pa + rng.NextDouble() * (pb - pa));
        z = Math.Clamp(z, a, b);
        return mu + sigma * (mirror ? -z : z);
    }

    /// <summary>The mass of the normal in [low, high] (the truncation's normalizer), floored at a tiny positive value.</summary>
    public static double Mass(double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        double mass = a > 0 ? Normal.CDF(0, 1, -a) - Normal.CDF(0, 1, -b) : Normal.CDF(0, 1, b) - Normal.CDF(0, 1, a);
        return Math.Max(mass, Eps);
    }

    public static double LogPdf(double x, double mu, double sigma)
    {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
    }
}
