/// <summary>
/// The standard test functions of black-box optimization (Surjanovic and Bingham's library), all minimized;
/// bench/search/peer.py defines the same ones for Optuna.
/// </summary>
static class Functions
{
    public sealed record Function(string Name, (double Low, double High)[] Box, Func<double[], double> F);

    public static readonly Function[] All =
    [
        new("branin", [(-5, 10), (0, 15)], Branin),
        new("hartmann6", [.. Enumerable.Repeat((0.0, 1.0), 6)], Hartmann6),
        new("styblinski_tang10", [.. Enumerable.Repeat((-5.0, 5.0), 10)], StyblinskiTang),
    ];

    /// <summary>Minimum 0.397887.</summary>
    static double Branin(double[] v)
    {
        double x = v[0], y = v[1], b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return Math.Pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.Cos(x) + 10;
    }

    static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];
    static readonly double[,] A = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    static readonly double[,] P = { { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 }, { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 } };

    /// <summary>Minimum -3.32237.</summary>
    static double Hartmann6(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++) inner += A[i, j] * Math.Pow(x[j] - 1e-4 * P[i, j], 2);
            sum += Alpha[i] * Math.Exp(-inner);
        }
        return -sum;
    }

    /// <summary>Minimum -39.16599 d (-391.66 in 10-D).</summary>
    static double StyblinskiTang(double[] x) => 0.5 * x.Sum(v => Math.Pow(v, 4) - 16 * v * v + 5 * v);
}
