namespace Loom.Experiments;

/// <summary>
/// Python's str ordering: by Unicode code point. Ordinal comparison in .NET compares UTF-16 units, which
/// orders astral characters (surrogates, 0xD800..) before U+E000..U+FFFF where Python puts them after.
/// </summary>
public sealed class PyStringComparer : IComparer<string>
{
    public static readonly PyStringComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        var a = x.EnumerateRunes().GetEnumerator();
        var b = y.EnumerateRunes().GetEnumerator();
        while (true)
        {
            bool hasA = a.MoveNext(), hasB = b.MoveNext();
            if (!hasA || !hasB) return hasA ? 1 : hasB ? -1 : 0;
            int c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0) return c;
        }
    }
}
