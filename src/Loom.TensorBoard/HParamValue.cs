using Google.Protobuf.WellKnownTypes;
using Loom.Experiments;

namespace Loom.TensorBoard;

/// <summary>
/// A hyper-parameter value as the HParams plugin takes it (a `google.protobuf.Value` holding a number, a
/// string or a bool). Values it cannot show (null, lists, dicts) become their JSON text, as the XP's name
/// and signature write them.
/// </summary>
public static class HParamValue
{
    public static Value From(object? value) => value switch
    {
        bool b => Value.ForBool(b),
        string s => Value.ForString(s),
        double or float or long or int or short or byte or sbyte or ulong or uint or ushort or decimal =>
            Value.ForNumber(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Value.ForString(PyJson.Dumps(value)),
    };

    /// <summary>An XP's delta as hyper-parameters: key → value, the delta's own order.</summary>
    public static IReadOnlyDictionary<string, object?> FromDelta(IEnumerable<DeltaItem> delta)
    {
        var hparams = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var item in delta) hparams[item.Key] = item.Value;
        return hparams;
    }
}
