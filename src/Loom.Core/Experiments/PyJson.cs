using System.Collections;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;
using System.Text;
using Loom.Config;

namespace Loom.Experiments;

/// <summary>
/// Python's `json.dumps(obj)` with default arguments, byte for byte, hand-written because signatures hash
/// this exact text and System.Text.Json writes differently (separators, escapes, float digits):
/// separators ", " and ": ", ensure_ascii (`\u00e9`, surrogate pairs above U+FFFF, lowercase hex),
/// floats as Python's repr (`1e-05`, `5.0`), `Infinity`/`NaN`, dicts in insertion order.
/// </summary>
public static class PyJson
{
    public static string Dumps(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: WriteString(sb, s); break;
            case double d: sb.Append(FormatFloat(d)); break;
            case float f: sb.Append(FormatFloat(f)); break;
            case long or int or short or byte or BigInteger or ulong or uint:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            case ConfigNode node: WriteObject(sb, node.Select(kv => (kv.Key, kv.Value))); break;
            case IDictionary dict: WriteObject(sb, dict.Keys.Cast<object>().Select(k => (KeyText(k), dict[k]))); break;
            case ITuple tuple: WriteArray(sb, Enumerable.Range(0, tuple.Length).Select(i => tuple[i])); break;
            case IEnumerable list: WriteArray(sb, list.Cast<object?>()); break;
            default: throw new ArgumentException($"PyJson cannot write a {value.GetType().Name}");
        }
    }

    // Python: float.__repr__, except that the non-finite values use JavaScript's names.
    static string FormatFloat(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFloat.Repr(d);

    // json.dumps turns non-string keys into strings the way it writes them as values.
    static string KeyText(object key) => key is string s ? s : Dumps(key);

    static void WriteArray(StringBuilder sb, IEnumerable<object?> items)
    {
        sb.Append('[');
        bool first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(", ");
            first = false;
            Write(sb, item);
        }
        sb.Append(']');
    }

    static void WriteObject(StringBuilder sb, IEnumerable<(string Key, object? Value)> entries)
    {
        sb.Append('{');
        bool first = true;
        foreach (var (key, value) in entries)
        {
            if (!first) sb.Append(", ");
            first = false;
            WriteString(sb, key);
            sb.Append(": ");
            Write(sb, value);
        }
        sb.Append('}');
    }

    /// <summary>Python's ESCAPE_ASCII: every UTF-16 unit outside ' '..'~' becomes \uXXXX (so astral chars become surrogate pairs).</summary>
    static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c >= ' ' && c <= '~') sb.Append(c);
                    else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }
        sb.Append('"');
    }
}
