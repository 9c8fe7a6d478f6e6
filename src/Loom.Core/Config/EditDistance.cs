namespace Loom.Config;

/// <summary>Levenshtein distance, for "did you mean optim.lr?" suggestions.</summary>
public static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The candidates closest to <paramref name="key"/> (at most 3), if any is reasonably close.</summary>
    public static IReadOnlyList<string> Closest(string key, IEnumerable<string> candidates)
    {
        int limit = Math.Max(2, key.Length / 3);
        var scored = candidates.Distinct().Select(c => (c, d: Between(key, c))).Where(x => x.d <= limit).ToList();
        if (scored.Count == 0) return [];
        int best = scored.Min(x => x.d);
        return scored.Where(x => x.d == best).Select(x => x.c).OrderBy(c => c, StringComparer.Ordinal).Take(3).ToList();
    }
}
