namespace Loom.Search;

/// <summary>The checks that every numeric parameter shares.</summary>
static class Bounds
{
    public static void Check(string key, double low, double high, bool log)
    {
        if (string.IsNullOrWhiteSpace(key)) throw new SearchException("search parameter with an empty key");
        if (!double.IsFinite(low) || !double.IsFinite(high)) throw new SearchException($"search parameter '{key}': bounds must be finite, got [{low}, {high}]");
        if (low >= high) throw new SearchException($"search parameter '{key}': low must be below high, got low={low} high={high}");
        if (log && low <= 0) throw new SearchException($"search parameter '{key}': log scale needs low > 0, got low={low}");
    }
}
