namespace Loom.Core.Tests.Search;

/// <summary>Standard test functions of black-box optimization.</summary>
static class Functions
{
    /// <summary>Branin on [-5, 10] × [0, 15]; minimum 0.397887 at three points.</summary>
    public static double Branin(double x, double y)
    {
        double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        return a * Math.Pow(y - b * x * x + c * x - r, 2) + s * (1 - t) * Math.Cos(x) + s;
    }
}
