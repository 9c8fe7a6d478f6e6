using System.Text.RegularExpressions;

namespace Loom.Config;

/// <summary>
/// Hydra's override grammar (hydra/grammar/OverrideLexer.g4 and OverrideParser.g4), hand-written because no
/// .NET library parses it: `[+|++|~]key[=value]`, where a value is a primitive, a quoted string, a list
/// `[1, 2]` or a dict `{a: 1}`, nested freely, and top-level commas make a sweep. It accepts what Hydra
/// accepts with Hydra's values, and refuses the rest with one line: grammar functions (`int(...)`,
/// `choice(...)`), characters Hydra does not allow unquoted, and dict keys Hydra would read as non-strings.
/// Loom's one extension: nested interpolations (`${a.${b}}`) may be written unquoted.
/// </summary>
public static partial class OverrideParser
{
    // A part of a dotted key: Hydra's KEY_SPECIAL, or an unsigned int (a list index) inside a dotted path.
    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_\-$]*$")] private static partial Regex KeyName();
    [GeneratedRegex(@"^(?:0|[1-9](?:_?[0-9])*)$")] private static partial Regex KeyIndex();
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*$")] internal static partial Regex Identifier();

    public static Override Parse(string text)
    {
        string rest = text.TrimStart(); // not the end: an escaped trailing blank (`a\ `) is part of the value
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
        var choices = new OverrideValueReader(text, rest[(eq + 1)..]).ReadTopLevel();
        return new Override(text, kind, key, true, choices);
    }

    static void CheckKey(string text, string key)
    {
        if (key.Length == 0) throw Error(text, "missing key before '='");
        if (key.Contains('@')) throw Error(text, "package overrides (key@package) are not supported");
        if (key.StartsWith('-')) throw Error(text, "not an override (key=value), nor an option of this command (see --help)");
        var parts = key.Split('.');
        foreach (var part in parts)
        {
            if (part.Length == 0) throw Error(text, $"empty part in key '{key}'");
            bool groupPath = parts.Length == 1 && part.Contains('/'); // hydra/launcher=...: ID (/ ID)+
            if (groupPath ? part.Split('/').All(p => Identifier().IsMatch(p)) : KeyName().IsMatch(part) || parts.Length > 1 && KeyIndex().IsMatch(part))
                continue;
            if (part.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$' or '/')))
                throw Error(text, $"invalid character in key '{key}' (expected letters, digits, '_', '-', '$')");
            throw Error(text, $"invalid key part '{part}' in '{key}' (a part starts with a letter, '_' or '$', or is a list index)");
        }
    }

    internal static ConfigException Error(string text, string what) => new($"override '{text}': {what}");
}
