using Google.Protobuf.WellKnownTypes;
using static Loom.TensorBoard.HParamsMessages;

namespace Loom.TensorBoard;

/// <summary>
/// A hyper-parameter of a grid as the HParams experiment summary describes it: its type and the values its
/// XPs take, as a list (<see cref="Discrete"/>) or, for many distinct numbers, an interval.
/// </summary>
public sealed record HParamDomain(string Name, DataType Type, IReadOnlyList<Value>? Discrete, double Min, double Max, bool Differs)
{
    /// <summary>Above this many distinct numbers a numeric domain is an interval (a random search), not a list of checkboxes.</summary>
    public const int MaxDiscreteNumbers = 16;

    /// <summary>The domain of one key from the values the XPs have (an XP without the key is left out).</summary>
    public static HParamDomain Of(string name, IEnumerable<object?> rawValues)
    {
        var values = rawValues.Select(HParamValue.From).ToList();
        var kinds = values.Select(v => v.KindCase).Distinct().ToList();
        if (kinds.Count == 1 && kinds[0] == Value.KindOneofCase.NumberValue)
        {
            var numbers = values.Select(v => v.NumberValue).Distinct().Order().ToList();
            return numbers.Count <= MaxDiscreteNumbers
                ? new(name, DataType.Float64, numbers.Select(Value.ForNumber).ToList(), 0, 0, numbers.Count > 1)
                : new(name, DataType.Float64, null, numbers[0], numbers[^1], true);
        }
        if (kinds.Count == 1 && kinds[0] == Value.KindOneofCase.BoolValue)
        {
            var bools = values.Select(v => v.BoolValue).Distinct().Order().ToList();
            return new(name, DataType.Bool, bools.Select(Value.ForBool).ToList(), 0, 0, bools.Count > 1);
        }
        // Strings, or a key whose XPs disagree on the type: TensorBoard compares such values as text.
        var texts = values.Select(AsText).Distinct().Order(StringComparer.Ordinal).ToList();
        return new(name, DataType.String, texts.Select(Value.ForString).ToList(), 0, 0, texts.Count > 1);
    }

    static string AsText(Value v) => v.KindCase switch
    {
        Value.KindOneofCase.StringValue => v.StringValue,
        Value.KindOneofCase.BoolValue => v.BoolValue ? "true" : "false",
        _ => v.NumberValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
    };
}
