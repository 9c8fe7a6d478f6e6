using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace Loom.Config;

/// <summary>
/// Scalar typing and printing with OmegaConf's semantics. YamlDotNet gives us the text and the style of a
/// scalar but types plain scalars by YAML 1.2 rules; OmegaConf uses PyYAML's YAML 1.1 rules plus its own
/// float pattern (so `1e-3` is a float), and Hydra's override grammar has its own, narrower, rules.
/// </summary>
public static partial class ScalarText
{
    // PyYAML's YAML 1.1 resolvers, as OmegaConf's loader keeps them.
    [GeneratedRegex("^(?:~|null|Null|NULL|)$")] private static partial Regex YamlNull();
    [GeneratedRegex("^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$")] private static partial Regex YamlTrue();
    [GeneratedRegex("^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$")] private static partial Regex YamlFalse();
    [GeneratedRegex("^[-+]?(?:0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+)$")] private static partial Regex YamlInt();
    // OmegaConf's float pattern: accepts `1e-3` and `1.`, which PyYAML alone would not.
    [GeneratedRegex(@"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex YamlFloat();

    // Hydra's override grammar (OverrideLexer.g4).
    [GeneratedRegex("^[+-]?(?:0|[1-9](?:_?[0-9])*)$")] private static partial Regex HydraInt();
    [GeneratedRegex(@"^[+-]?(?:(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.)(?:[eE][+-]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*[eE][+-]?[0-9](?:_?[0-9])*|[iI][nN][fF]|[nN][aA][nN])$")]
    private static partial Regex HydraFloat();

    /// <summary>Types a plain (unquoted) scalar of a YAML file.</summary>
    public static object? ParseYamlPlain(string text)
    {
        if (YamlNull().IsMatch(text)) return null;
        if (YamlTrue().IsMatch(text)) return true;
        if (YamlFalse().IsMatch(text)) return false;
        if (YamlInt().IsMatch(text)) return ParseYamlInt(text);
        if (YamlFloat().IsMatch(text)) return ParseFloat(text.Replace("_", ""));
        return text;
    }

    /// <summary>Types an unquoted primitive of a command-line override (already trimmed).</summary>
    public static object? ParseOverridePrimitive(string text)
    {
        if (text.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (HydraInt().IsMatch(text)) return Narrow(BigInteger.Parse(text.Replace("_", ""), CultureInfo.InvariantCulture));
        if (HydraFloat().IsMatch(text)) return ParseFloat(text.Replace("_", ""));
        return text;
    }

    static object ParseYamlInt(string text)
    {
        string t = text.Replace("_", "");
        bool negative = t.StartsWith('-');
        if (t[0] is '-' or '+') t = t[1..];
        BigInteger value;
        if (t.StartsWith("0x")) value = BigInteger.Parse("0" + t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        else if (t.StartsWith("0b")) value = t[2..].Aggregate(BigInteger.Zero, (acc, c) => acc * 2 + (c - '0'));
        else if (t.Length > 1 && t[0] == '0') value = t[1..].Aggregate(BigInteger.Zero, (acc, c) => acc * 8 + (c - '0'));
        else value = BigInteger.Parse(t, CultureInfo.InvariantCulture);
        return Narrow(negative ? -value : value);
    }

    static object Narrow(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    static double ParseFloat(string t)
    {
        string lower = t.ToLowerInvariant().TrimStart('+');
        if (lower is ".inf" or "inf") return double.PositiveInfinity;
        if (lower is "-.inf" or "-inf") return double.NegativeInfinity;
        if (lower is ".nan" or "nan" or "-nan" or "-.nan") return double.NaN;
        return double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Python's str(): what string interpolation ("run_${seed}") and XP names print.</summary>
    public static string Format(object? value) => value switch
    {
        string s => s,
        _ => Repr(value),
    };

    /// <summary>Python's repr(), with ConfigNode as dict and lists as list.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => PyFloat.Repr(d),
        long or int or BigInteger => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => ReprString(s),
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        ConfigNode node => "{" + string.Join(", ", node.Select(kv => ReprString(kv.Key) + ": " + Repr(kv.Value))) + "}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // Python picks single quotes unless the string holds a single quote and no double quote.
    static string ReprString(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (char c in s)
        {
            if (c == quote || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.Append($"\\x{(int)c:x2}");
            else sb.Append(c);
        }
        return sb.Append(quote).ToString();
    }
}
