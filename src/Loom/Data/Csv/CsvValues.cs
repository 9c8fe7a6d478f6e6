using System.Globalization;

namespace Loom.Data.Csv;

/// <summary>How a field of a table reads: missing (empty, NA, N/A, NaN, null — pandas' common spellings), a finite
/// number (invariant culture: `1.5`, `-2e3`), or text.</summary>
public static class CsvValues
{
    static readonly HashSet<string> MissingSpellings = new(["", "NA", "N/A", "NaN", "null"], StringComparer.OrdinalIgnoreCase);

    public static bool IsMissing(string field) => MissingSpellings.Contains(field);

    public static bool TryNumber(string field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Sorted as numbers when every value is one (so `2` comes before `10`), else ordinally.</summary>
    public static string[] SortedDistinct(IEnumerable<string> values)
    {
        var distinct = values.Distinct().ToList();
        return distinct.All(v => TryNumber(v, out _))
            ? distinct.OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture)).ThenBy(v => v, StringComparer.Ordinal).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
    }
}
