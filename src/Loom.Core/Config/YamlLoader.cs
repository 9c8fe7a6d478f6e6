using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Loom.Config;

/// <summary>
/// Reads YAML into a <see cref="ConfigNode"/> tree with YamlDotNet's parser, typing plain scalars the way
/// OmegaConf does (<see cref="ScalarText"/>). Every error names the file with line:column.
/// </summary>
public static class YamlLoader
{
    public static ConfigNode LoadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read file: {e.Message}");
        }
        // Composing a grid reads the same few files once per XP; parsing dominates, so parsed trees are
        // cached by content (re-reading the text is cheap and makes the cache never stale).
        if (ParsedByPath.TryGetValue(path, out var cached) && cached.Text == text) return cached.Tree.DeepClone();
        var tree = Load(text, path);
        ParsedByPath[path] = (text, tree.DeepClone());
        return tree;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Text, ConfigNode Tree)> ParsedByPath = new();

    /// <summary>Parses YAML text; <paramref name="source"/> names it in errors. An empty document is an empty mapping.</summary>
    public static ConfigNode Load(string text, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {Innermost(e).Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this, without a position, on some unclosed flow collections: report where parsing stopped.
            throw new ConfigException($"{source}:{WhereParsingStops(text)}: invalid YAML: unexpected content (an unclosed '[' or '{{'?)", e);
        }
        catch (ArgumentException e)
        {
            // And this on an empty key in a nested block mapping (`a:\n  : b`, found by FuzzTests).
            throw new ConfigException($"{source}:{WhereParsingStops(text)}: invalid YAML: unexpected content (a key missing before ':'?)", e);
        }
        if (stream.Documents.Count == 0) return new ConfigNode();
        if (stream.Documents.Count > 1)
            throw new ConfigException($"{source}:{At(stream.Documents[1].RootNode)}: expected one YAML document, found {stream.Documents.Count}");
        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" } ) return new ConfigNode();
        if (root is not YamlMappingNode mapping)
            throw new ConfigException($"{source}:{At(root)}: expected a mapping at the top of the file, found {Kind(root)}");
        return ToMapping(mapping, source);
    }

    static ConfigNode ToMapping(YamlMappingNode mapping, string source)
    {
        var node = new ConfigNode();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: not null } key)
                throw new ConfigException($"{source}:{At(keyNode)}: expected a scalar key, found {Kind(keyNode)}");
            // PyYAML would make `1:`, `on:` or `null:` an int, bool or null key; Loom's keys are strings, so
            // refuse rather than differ silently from OmegaConf (a quoted key is a string in both).
            if (key.Style == ScalarStyle.Plain && key.Tag.IsEmpty && ScalarText.ParseYamlPlain(key.Value) is var typed and not string)
                throw new ConfigException($"{source}:{At(keyNode)}: key '{key.Value}' is read by YAML as {KindOf(typed)}; quote it to make it a string key");
            node[key.Value] = ToValue(valueNode, source);
        }
        return node;
    }

    static object? ToValue(YamlNode yaml, string source) => yaml switch
    {
        YamlMappingNode m => ToMapping(m, source),
        YamlSequenceNode s => s.Children.Select(c => ToValue(c, source)).ToList(),
        YamlScalarNode s => ToScalar(s, source),
        _ => throw new ConfigException($"{source}:{At(yaml)}: unsupported YAML node {Kind(yaml)}"),
    };

    static object? ToScalar(YamlScalarNode s, string source)
    {
        string text = s.Value ?? "";
        string tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" or "!!str") return text;
        if (s.Style is ScalarStyle.Plain && tag is "" or "?") return ScalarText.ParseYamlPlain(text);
        if (tag is "" or "!" ) return text; // quoted, literal and folded scalars stay strings
        object? typed = ScalarText.ParseYamlPlain(text);
        return tag switch
        {
            "tag:yaml.org,2002:int" when typed is long or System.Numerics.BigInteger => typed,
            "tag:yaml.org,2002:float" when typed is double => typed,
            "tag:yaml.org,2002:float" when typed is long l => (double)l,
            "tag:yaml.org,2002:bool" when typed is bool => typed,
            "tag:yaml.org,2002:null" when typed is null => null,
            _ => throw new ConfigException($"{source}:{At(s)}: value '{text}' does not fit its tag {tag}"),
        };
    }

    static string WhereParsingStops(string text)
    {
        Mark? last = null;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext()) last = parser.Current!.End;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException) { }
        return last is null ? "1:1" : $"{last.Value.Line}:{last.Value.Column}";
    }

    static string KindOf(object? typed) => typed switch { null => "null", bool => "a bool", double => "a float", _ => "an int" };

    static Exception Innermost(Exception e) => e.InnerException is YamlException inner ? Innermost(inner) : e;
    static string At(YamlNode node) => $"{node.Start.Line}:{node.Start.Column}";
    static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"the scalar '{s.Value}'",
        _ => node.NodeType.ToString(),
    };
}
