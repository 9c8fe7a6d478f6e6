using System.Text;

namespace Loom.Config;

/// <summary>
/// The value half of an override (what follows `=`): recursive descent over Hydra's VALUE_MODE tokens —
/// primitives, quoted strings, lists, dicts, interpolations, and top-level commas that make a sweep. The key
/// half and the override kinds are <see cref="OverrideParser"/>'s.
/// </summary>
internal sealed class OverrideValueReader(string overrideText, string s)
{
    // Characters Hydra allows in an unquoted string besides letters and digits (UNQUOTED_CHAR, COLON, '_').
    const string UnquotedSpecials = "/-\\+.$%*@?|:_";
    // Characters that may follow a backslash to be taken literally (Hydra's ESC token).
    const string Escapable = "\\()[]{}:=, \t";
    int pos;

    public List<OverrideValue> ReadTopLevel()
    {
        var choices = new List<OverrideValue>();
        if (s.Trim(' ', '\t').Length == 0) return [new OverrideValue("", "")]; // `key=` is the empty string, as in Hydra
        while (true)
        {
            SkipSpaces();
            int start = pos;
            object? value = ReadElement(topLevel: true);
            choices.Add(new OverrideValue(s[start..pos].Trim(' ', '\t'), value));
            SkipSpaces();
            if (pos >= s.Length) return choices;
            if (s[pos] != ',') throw Unexpected();
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
            ']' or '}' or ',' or ')' or '(' or '=' => throw Unexpected(),
            _ => ReadPrimitive(dictKey: false),
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
            if (pos >= s.Length) throw Fail("unclosed '{' (expected '}')");
            if (s[pos] is '\'' or '"') throw Fail($"a dict key cannot be quoted, as in Hydra (at position {pos + 1} of the value)");
            object? key = ReadPrimitive(dictKey: true);
            if (key is not string name)
                throw Fail($"dict key {ScalarText.Repr(key)} is read by Hydra as {KindOf(key)}; Loom's config keys are strings (use a name)");
            SkipSpaces();
            if (Peek() != ':') throw Fail("unclosed '{' or missing ':' in a dict (expected {key: value})");
            pos++;
            node[name] = ReadElement();
            SkipSpaces();
            if (pos >= s.Length) throw Fail("unclosed '{' (expected '}')");
            if (s[pos] == '}') { pos++; return node; }
            if (s[pos] != ',') throw Fail($"expected ',' or '}}' at position {pos + 1} of the value, found '{s[pos]}'");
            pos++;
        }
    }

    static string KindOf(object? value) => value switch
    {
        null => "null",
        bool => "a bool",
        double => "a float",
        _ => "an int",
    };

    /// <summary>
    /// Hydra's QUOTED_VALUE: it ends at the first quote preceded by an even number of backslashes; only
    /// backslashes before a quote are escapes (`\'` is a quote, `\\'` at the end a backslash), the others stay.
    /// </summary>
    string ReadQuoted()
    {
        char quote = s[pos++];
        var sb = new StringBuilder();
        while (pos < s.Length)
        {
            char c = s[pos];
            if (c == '\\')
            {
                int run = 0;
                while (pos < s.Length && s[pos] == '\\') { run++; pos++; }
                if (pos < s.Length && s[pos] == quote)
                {
                    sb.Append('\\', run / 2);
                    if (run % 2 == 0) { pos++; return sb.ToString(); } // escaped backslashes, then the closing quote
                    sb.Append(quote);
                    pos++;
                    continue;
                }
                sb.Append('\\', run);
                continue;
            }
            pos++;
            if (c == quote) return sb.ToString();
            sb.Append(c);
        }
        throw Fail($"unclosed quote {quote}");
    }

    enum Piece { Plain, Space, Escaped, Interpolation }

    /// <summary>
    /// An unquoted primitive (or dict key): Hydra's tokens concatenated, outer blanks dropped. A single
    /// plain token is typed (int, float, bool, null); anything longer, escaped or interpolated is a string.
    /// </summary>
    object? ReadPrimitive(bool dictKey)
    {
        var pieces = new List<(Piece Kind, string Text)>();
        void Add(Piece kind, string text)
        {
            if (pieces.Count > 0 && pieces[^1].Kind == kind && kind is not Piece.Interpolation) pieces[^1] = (kind, pieces[^1].Text + text);
            else pieces.Add((kind, text));
        }
        while (pos < s.Length)
        {
            char c = s[pos];
            if (c == '\\' && pos + 1 < s.Length && Escapable.Contains(s[pos + 1])) { Add(Piece.Escaped, s[pos + 1].ToString()); pos += 2; continue; }
            if (c == '$' && pos + 1 < s.Length && s[pos + 1] == '{')
            {
                if (dictKey) throw Fail($"an interpolation cannot be a dict key (at position {pos + 1} of the value)");
                Add(Piece.Interpolation, ReadInterpolation());
                continue;
            }
            if (c is ' ' or '\t') { Add(Piece.Space, c.ToString()); pos++; continue; }
            if (c == ':' && dictKey) break;
            if (char.IsAsciiLetterOrDigit(c) || UnquotedSpecials.Contains(c)) { Add(Piece.Plain, c.ToString()); pos++; continue; }
            if (c is ',' or ']' or '}') break;
            if (c == '(')
            {
                string name = string.Concat(pieces.Select(p => p.Text)).Trim(' ', '\t');
                if (OverrideParser.Identifier().IsMatch(name))
                    throw Fail($"grammar function {name}() is not supported (write the value itself; for a sweep use a,b,c with -m)");
                throw Unexpected();
            }
            if (c is '[' or '{' or ')') throw Unexpected();
            if (c == '=') throw Fail($"unexpected '=' at position {pos + 1} of the value (escape it as \\= or quote the value)");
            if (c is '\'' or '"') throw Fail($"unexpected quote at position {pos + 1} of the value (quote the whole value)");
            throw Fail($"character '{char.ConvertFromUtf32(char.ConvertToUtf32(s, pos))}' at position {pos + 1} of the value is not allowed unquoted (quote the value: '...')");
        }
        while (pieces.Count > 0 && pieces[0].Kind == Piece.Space) pieces.RemoveAt(0);
        while (pieces.Count > 0 && pieces[^1].Kind == Piece.Space) pieces.RemoveAt(pieces.Count - 1);
        if (pieces.Count == 0) throw Fail(dictKey ? "empty dict key" : "empty value");
        if (pieces is [(Piece.Plain, var single)]) return ScalarText.ParseOverridePrimitive(single);
        return string.Concat(pieces.Select(p => p.Text));
    }

    /// <summary>`${...}` up to its matching brace (Hydra stops at the first '}'; Loom also takes nested ones).</summary>
    string ReadInterpolation()
    {
        int start = pos, depth = 0;
        while (pos < s.Length)
        {
            char c = s[pos++];
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return s[start..pos];
        }
        throw Fail("unclosed '${' (expected '}')");
    }

    char? Peek() => pos < s.Length ? s[pos] : null;
    void SkipSpaces() { while (pos < s.Length && s[pos] is ' ' or '\t') pos++; }
    ConfigException Unexpected() => Fail($"unexpected '{s[pos]}' at position {pos + 1} of the value");
    ConfigException Fail(string what) => OverrideParser.Error(overrideText, what);
}
