using System.Globalization;

namespace Loom.Search;

/// <summary>One of a few values (an optimizer, a model, a batch size from a list); no order between them.</summary>
public sealed class ChoiceParameter(string key, IReadOnlyList<object> values, Condition? when) : SearchParameter(key, when)
{
    public IReadOnlyList<object> Values { get; } = values;

    public override object SampleUniform(Random rng) => Values[rng.Next(Values.Count)];

    /// <summary>The index of a value, or -1: numbers compare by value (`32 == 32.0`), the rest by their text.</summary>
    public int IndexOf(object value)
    {
        for (int i = 0; i < Values.Count; i++) if (Same(Values[i], value)) return i;
        return -1;
    }

    internal static bool Same(object a, object b) =>
        IsNumber(a) && IsNumber(b) ? Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture)
                                   : string.Equals(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture), StringComparison.Ordinal);

    static bool IsNumber(object o) => o is int or long or double or float or decimal;

    internal override void Validate()
    {
        if (string.IsNullOrWhiteSpace(Key)) throw new SearchException("search parameter with an empty key");
        if (Values.Count == 0) throw new SearchException($"search parameter '{Key}': a choice needs at least one value");
        for (int i = 0; i < Values.Count; i++)
            if (IndexOf(Values[i]) != i) throw new SearchException($"search parameter '{Key}': value '{Values[i]}' is listed twice");
    }
}
