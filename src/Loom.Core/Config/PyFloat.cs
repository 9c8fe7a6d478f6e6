using System.Globalization;

namespace Loom.Config;

/// <summary>
/// Python's repr() of a float, hand-written because no .NET library reproduces it: the shortest digits
/// that round-trip (which .NET's "R" format also finds), laid out by CPython's rule — positional when the
/// decimal exponent is in [-4, 16), else scientific with a signed two-digit-minimum exponent (`1e-05`,
/// `1e+16`, `1.5e-07`), and always a ".0" on integral values (`5.0`). Signatures hash this text.
/// </summary>
public static class PyFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";

        var (negative, digits, decpt) = ShortestDigits(value);
        string sign = negative ? "-" : "";
        // CPython (format_float_short, mode 'r'): scientific when decpt <= -4 or decpt > 16,
        // where value = 0.<digits> * 10^decpt.
        if (decpt <= -4 || decpt > 16)
        {
            int exponent = decpt - 1;
            string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (decpt <= 0) return sign + "0." + new string('0', -decpt) + digits;
        if (decpt >= digits.Length) return sign + digits + new string('0', decpt - digits.Length) + ".0";
        return sign + digits[..decpt] + "." + digits[decpt..];
    }

    /// <summary>Shortest round-trip significant digits (no leading/trailing zeros) and the decimal point position.</summary>
    static (bool Negative, string Digits, int Decpt) ShortestDigits(double value)
    {
        string r = value.ToString("R", CultureInfo.InvariantCulture); // e.g. "-1.5E-07", "123.45", "0"
        bool negative = r.StartsWith('-') || (value == 0 && double.IsNegative(value));
        r = r.TrimStart('-');
        int exponent = 0;
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0) { exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture); r = r[..e]; }
        int dot = r.IndexOf('.');
        string intPart = dot >= 0 ? r[..dot] : r;
        string fracPart = dot >= 0 ? r[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int decpt = intPart.Length + exponent;
        int leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0') leading++;
        all = all[leading..];
        decpt -= leading;
        all = all.TrimEnd('0');
        if (all.Length == 0) return (negative, "0", 1); // zero: "0.0"
        return (negative, all, decpt);
    }
}
