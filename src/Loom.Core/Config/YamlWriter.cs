using System.Globalization;
using System.Numerics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Loom.Config;

/// <summary>
/// Writes a <see cref="ConfigNode"/> tree as YAML through YamlDotNet's emitter. We choose each scalar's
/// style ourselves so that reading the file back (with <see cref="YamlLoader"/>) gives the same typed
/// values: strings that would read as numbers, booleans or null are quoted, floats keep a float form.
/// </summary>
public static class YamlWriter
{
    public static string Write(ConfigNode root)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings().WithBestIndent(2));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        EmitValue(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    static void EmitValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case ConfigNode node:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, node.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, child) in node)
                {
                    EmitString(emitter, key);
                    EmitValue(emitter, child);
                }
                emitter.Emit(new MappingEnd());
                break;
            case List<object?> list:
                // Short lists of scalars read best inline: `betas: [0.9, 0.999]`.
                bool flow = list.All(v => v is not (ConfigNode or List<object?>));
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) EmitValue(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case string s:
                EmitString(emitter, s);
                break;
            default:
                emitter.Emit(new Scalar(null, null, ScalarFormat(value), ScalarStyle.Plain, true, false));
                break;
        }
    }

    static string ScalarFormat(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        double d when double.IsNaN(d) => ".nan",
        double d when double.IsInfinity(d) => d > 0 ? ".inf" : "-.inf",
        double d => PyFloat.Repr(d),
        long or int or BigInteger => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"not a config value: {value.GetType().Name}"),
    };

    static void EmitString(IEmitter emitter, string s)
    {
        bool plainIsSafe = s.Length > 0 && ScalarText.ParseYamlPlain(s) is string && s.Trim() == s;
        var style = plainIsSafe ? ScalarStyle.Any : ScalarStyle.DoubleQuoted;
        emitter.Emit(new Scalar(null, null, s, style, true, true));
    }
}
