using System.Text;

namespace Loom.Config;

/// <summary>
/// OmegaConf's interpolation, resolved once after composition: `${a.b}` (absolute), `${.b}` / `${..b}`
/// (relative to the containing mapping), `${env:NAME,default}` / `${oc.env:NAME,default}`, nested
/// `${a.${b}}`, and `\${` for a literal. A value that is exactly one interpolation keeps the referenced
/// type (`${seed}` is an int); inside a longer string the value is printed as Python's str() would.
/// </summary>
public sealed class Interpolation
{
    readonly ConfigNode source;
    readonly Dictionary<string, object?> resolved = new(StringComparer.Ordinal);
    readonly List<string> stack = [];

    Interpolation(ConfigNode source) => this.source = source;

    /// <summary>A resolved deep copy of <paramref name="config"/>; cycles and missing keys are ConfigExceptions.</summary>
    public static ConfigNode Resolve(ConfigNode config) => (ConfigNode)new Interpolation(config).ResolveValue(config, "")!;

    object? ResolveValue(object? value, string path)
    {
        switch (value)
        {
            case ConfigNode node:
                var copy = new ConfigNode();
                foreach (var (key, child) in node) copy[key] = ResolveKey(Join(path, key), child);
                return copy;
            case List<object?> list:
                return list.Select((item, i) => ResolveKey(Join(path, i.ToString()), item)).ToList();
            case string s when s.Contains("${"):
                return ResolveString(s, path);
            default:
                return value;
        }
    }

    object? ResolveKey(string path, object? raw)
    {
        if (resolved.TryGetValue(path, out var done)) return ConfigNode.CloneValue(done);
        if (stack.Contains(path))
            throw new ConfigException($"interpolation cycle: {string.Join(" -> ", stack.SkipWhile(p => p != path))} -> {path}");
        stack.Add(path);
        var value = ResolveValue(raw, path);
        stack.RemoveAt(stack.Count - 1);
        resolved[path] = value;
        return ConfigNode.CloneValue(value);
    }

    object? ResolveString(string s, string path)
    {
        var parts = Split(s, path);
        if (parts.Count == 1 && parts[0].IsInterpolation) return Evaluate(parts[0].Text, path, s);
        var sb = new StringBuilder();
        foreach (var part in parts)
            sb.Append(part.IsInterpolation ? ScalarText.Format(Evaluate(part.Text, path, s)) : part.Text);
        return sb.ToString();
    }

    /// <summary>Literal text and top-level `${...}` bodies (nested ones stay inside their body).</summary>
    List<(bool IsInterpolation, string Text)> Split(string s, string path)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < s.Length)
        {
            if (s[i] == '\\' && i + 2 < s.Length && s[i + 1] == '$' && s[i + 2] == '{') { literal.Append("${"); i += 3; continue; }
            if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '{')
            {
                int depth = 1, j = i + 2;
                for (; j < s.Length && depth > 0; j++)
                {
                    if (s[j] == '{') depth++;
                    else if (s[j] == '}') depth--;
                }
                if (depth > 0) throw new ConfigException($"key '{path}': unclosed interpolation in '{s}' (expected '}}')");
                if (literal.Length > 0) { parts.Add((false, literal.ToString())); literal.Clear(); }
                parts.Add((true, s[(i + 2)..(j - 1)]));
                i = j;
                continue;
            }
            literal.Append(s[i++]);
        }
        if (literal.Length > 0 || parts.Count == 0) parts.Add((false, literal.ToString()));
        return parts;
    }

    object? Evaluate(string body, string path, string whole)
    {
        // Nested interpolations in the body are resolved first: `${model.${which}}`.
        if (body.Contains("${")) body = ScalarText.Format(ResolveString(body, path));
        body = body.Trim();
        if (body.StartsWith("env:") || body.StartsWith("oc.env:")) return Environment(body[(body.IndexOf(':') + 1)..], path, whole);
        if (body.Length == 0) throw new ConfigException($"key '{path}': empty interpolation in '{whole}'");
        if (body.Contains(':')) throw new ConfigException($"key '{path}': unknown resolver in '${{{body}}}' (only env and oc.env exist)");

        string target = Absolute(body, path);
        if (!ConfigPath.TryFind(source, target, out var raw))
            throw new ConfigException($"key '{path}': interpolation '${{{body}}}' refers to missing key '{target}'");
        return ResolveKey(target, raw);
    }

    static object? Environment(string args, string path, string whole)
    {
        int comma = args.IndexOf(',');
        string name = (comma >= 0 ? args[..comma] : args).Trim();
        string? value = System.Environment.GetEnvironmentVariable(name);
        if (value is not null) return value;
        if (comma < 0) throw new ConfigException($"key '{path}': environment variable '{name}' is not set and '{whole}' has no default");
        string fallback = args[(comma + 1)..].Trim();
        if (fallback.Length >= 2 && (fallback[0] is '\'' or '"') && fallback[^1] == fallback[0]) return fallback[1..^1];
        return fallback.Equals("null", StringComparison.OrdinalIgnoreCase) ? null : fallback;
    }

    /// <summary>`.b` is a sibling of the value at <paramref name="path"/>, `..b` one level up, and so on.</summary>
    static string Absolute(string key, string path)
    {
        if (!key.StartsWith('.')) return key;
        int dots = key.TakeWhile(c => c == '.').Count();
        var container = path.Split('.').ToList();
        container.RemoveAt(container.Count - 1); // the key itself
        for (int i = 1; i < dots && container.Count > 0; i++) container.RemoveAt(container.Count - 1);
        return Join(string.Join('.', container), key[dots..]);
    }

    static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;
}
