using System.Text;
using System.Text.RegularExpressions;

namespace Loom.Config;

/// <summary>
/// Hydra's override grammar, hand-written because no .NET library parses it: `[+|++|~]key[=value]`,
/// where a value is a primitive (typed by <see cref="ScalarText.ParseOverridePrimitive"/>), a quoted
/// string, a list `[1, 2]`, a dict `{a: 1, b: x}`, nested freely, and top-level commas make a sweep.
/// `${...}` interpolations pass through as text and are resolved after composition.
/// </summary>
public static partial class OverrideParser
{
    [GeneratedRegex(@"^[A-Za-z0-9_\-$/]+$")] private static partial Regex KeyPart();

    public static Override Parse(string text)
    {
        string rest = text.Trim();
        var kind = OverrideKind.Change;
        if (rest.StartsWith("++")) { kind = OverrideKind.ForceAdd; rest = rest[2..]; }
        else if (rest.StartsWith('+')) { kind = OverrideKind.Add; rest = rest[1..]; }
        else if (rest.StartsWith('~')) { kind = OverrideKind.Delete; rest = rest[1..]; }

        int eq = rest.IndexOf('=');
        string key = (eq >= 0 ? rest[..eq] : rest).Trim();
        CheckKey(text, key);
        if (eq < 0)
        {
            if (kind != OverrideKind.Delete) throw Error(text, "expected key=value (or ~key to delete)");
            return new Override(text, kind, key, false, []);
        }
        var choices = new Reader(text, rest[(eq + 1)..]).ReadTopLevel();
        return new Override(text, kind, key, true, choices);
    }

    static void CheckKey(string text, string key)
    {
        if (key.Length == 0) throw Error(text, "missing key before '='");
        if (key.Contains('@')) throw Error(text, "package overrides (key@package) are not supported");
        foreach (var part in key.Split('.'))
        {
            if (part.Length == 0) throw Error(text, $"empty part in key '{key}'");
            if (!KeyPart().IsMatch(part)) throw Error(text, $"invalid character in key '{key}' (expected letters, digits, '_', '-')");
        }
    }

    internal static ConfigException Error(string text, string what) => new($"override '{text}': {what}");

    /// <summary>Recursive descent over the value text.</summary>
    sealed class Reader(string overrideText, string s)
    {
        int pos;

        public List<OverrideValue> ReadTopLevel()
        {
            var choices = new List<OverrideValue>();
            if (s.Trim().Length == 0) return [new OverrideValue("", "")]; // `key=` is the empty string, as in Hydra
            while (true)
            {
                int start = pos;
                object? value = ReadElement(topLevel: true);
                choices.Add(new OverrideValue(s[start..pos].Trim(), value));
                SkipSpaces();
                if (pos >= s.Length) return choices;
                if (s[pos] != ',') throw Fail($"unexpected '{s[pos]}' at position {pos + 1} of the value");
                pos++;
            }
        }

        object? ReadElement(bool topLevel = false)
        {
            SkipSpaces();
            if (pos >= s.Length) throw Fail(topLevel ? "missing value after ','" : "unexpected end of value");
            return s[pos] switch
            {
                '[' => ReadList(),
                '{' => ReadDict(),
                '\'' or '"' => ReadQuoted(),
                ']' or '}' or ',' => throw Fail($"unexpected '{s[pos]}' at position {pos + 1} of the value"),
                _ => ReadPrimitive(),
            };
        }

        List<object?> ReadList()
        {
            pos++; // '['
            var list = new List<object?>();
            SkipSpaces();
            if (Peek() == ']') { pos++; return list; }
            while (true)
            {
                list.Add(ReadElement());
                SkipSpaces();
                if (pos >= s.Length) throw Fail("unclosed '[' (expected ']')");
                if (s[pos] == ']') { pos++; return list; }
                if (s[pos] != ',') throw Fail($"expected ',' or ']' at position {pos + 1} of the value, found '{s[pos]}'");
                pos++;
            }
        }

        ConfigNode ReadDict()
        {
            pos++; // '{'
            var node = new ConfigNode();
            SkipSpaces();
            if (Peek() == '}') { pos++; return node; }
            while (true)
            {
                SkipSpaces();
                int colon = s.IndexOf(':', pos);
                if (colon < 0) throw Fail("unclosed '{' or missing ':' in a dict (expected {key: value})");
                string key = s[pos..colon].Trim();
                if (key.Length == 0 || !KeyPart().IsMatch(key)) throw Fail($"invalid dict key '{key}'");
                pos = colon + 1;
                node[key] = ReadElement();
                SkipSpaces();
                if (pos >= s.Length) throw Fail("unclosed '{' (expected '}')");
                if (s[pos] == '}') { pos++; return node; }
                if (s[pos] != ',') throw Fail($"expected ',' or '}}' at position {pos + 1} of the value, found '{s[pos]}'");
                pos++;
            }
        }

        string ReadQuoted()
        {
            char quote = s[pos++];
            var sb = new StringBuilder();
            while (pos < s.Length)
            {
                char c = s[pos++];
                if (c == '\\' && pos < s.Length && (s[pos] == quote || s[pos] == '\\')) { sb.Append(s[pos++]); continue; }
                if (c == quote) return sb.ToString();
                sb.Append(c);
            }
            throw Fail($"unclosed quote {quote}");
        }

        object? ReadPrimitive()
        {
            var sb = new StringBuilder();
            int depth = 0; // inside ${...}, where ',' ':' '{' '}' belong to the interpolation
            bool escaped = false;
            while (pos < s.Length)
            {
                char c = s[pos];
                if (c == '\\' && pos + 1 < s.Length && "\\,[]{}'\"= ".Contains(s[pos + 1]))
                {
                    sb.Append(s[pos + 1]); pos += 2; escaped = true; continue;
                }
                if (c == '$' && pos + 1 < s.Length && s[pos + 1] == '{') { depth++; sb.Append("${"); pos += 2; continue; }
                if (depth > 0)
                {
                    if (c == '}') depth--;
                    sb.Append(c); pos++; continue;
                }
                if (c is ',' or ']' or '}' or '[' or '{') break;
                if (c is '\'' or '"') throw Fail($"unexpected quote at position {pos + 1} of the value (quote the whole value)");
                sb.Append(c); pos++;
            }
            if (depth > 0) throw Fail("unclosed '${' (expected '}')");
            if (pos < s.Length && s[pos] is '[' or '{') throw Fail($"unexpected '{s[pos]}' at position {pos + 1} of the value");
            string text = sb.ToString().Trim();
            if (text.Length == 0) throw Fail("empty value");
            return escaped || text.Contains("${") ? text : ScalarText.ParseOverridePrimitive(text);
        }

        char? Peek() => pos < s.Length ? s[pos] : null;
        void SkipSpaces() { while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++; }
        ConfigException Fail(string what) => Error(overrideText, what);
    }
}
