using System.Numerics;
using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Python's `==` on config values, which decides what counts as a difference in a delta:
/// `5 == 5.0`, `True == 1`, `nan != nan`, lists element-wise, dicts by keys regardless of order.
/// </summary>
public static class PyEquality
{
    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a, b);
        return (a, b) switch
        {
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => AreEqual(p.First, p.Second)),
            (ConfigNode x, ConfigNode y) => x.Count == y.Count
                && x.All(kv => y.TryGetChild(kv.Key, out var other) && AreEqual(kv.Value, other)),
            _ => false,
        };
    }

    static bool IsNumber(object v) => v is bool or long or int or double or BigInteger;

    static bool NumbersEqual(object a, object b)
    {
        if (a is double || b is double)
        {
            double x = ToDouble(a), y = ToDouble(b);
            // Python compares int and float exactly; a huge int vs its rounded double is not equal.
            if (a is BigInteger ba && double.IsFinite(y)) return y == Math.Floor(y) && ba == new BigInteger(y);
            if (b is BigInteger bb && double.IsFinite(x)) return x == Math.Floor(x) && bb == new BigInteger(x);
            if (a is long la && double.IsFinite(y)) return y == Math.Floor(y) && Math.Abs(y) < 9.3e18 && la == (long)y;
            if (b is long lb && double.IsFinite(x)) return x == Math.Floor(x) && Math.Abs(x) < 9.3e18 && lb == (long)x;
            return x == y;
        }
        return ToBig(a) == ToBig(b);
    }

    static double ToDouble(object v) => v switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        int i => i,
        BigInteger big => (double)big,
        double d => d,
        _ => double.NaN,
    };

    static BigInteger ToBig(object v) => v switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        int i => i,
        BigInteger big => big,
        _ => 0,
    };
}
