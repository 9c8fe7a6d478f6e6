using Loom.Experiments;

namespace Loom.Grids;

/// <summary>
/// Dora's grid patterns: a pattern `pat` keeps the XPs whose name matches `*pat*` (fnmatch), `!pat` those
/// that do not, all of them ANDed; integers pick, in the order given, among the XPs left (negative from the end).
/// </summary>
public static class GridFilter
{
    public static IReadOnlyList<int> Select(IReadOnlyList<string> names, IReadOnlyList<string> patterns)
    {
        var indexes = new List<int>();
        var globs = new List<(string Glob, bool Negated)>();
        foreach (var p in patterns)
        {
            if (int.TryParse(p, out int index)) { indexes.Add(index); continue; }
            if (p.StartsWith('-')) throw new GridException($"unknown option '{p}' (see loom grid --help)");
            bool negated = p.StartsWith('!');
            string body = negated ? p[1..] : p;
            if (body.Length == 0) throw new GridException($"pattern '{p}' is empty (expected a part of an XP name, !part, or an index)");
            globs.Add(("*" + body + "*", negated));
        }
        var kept = Enumerable.Range(0, names.Count)
            .Where(i => globs.All(g => Fnmatch.Matches(names[i], g.Glob) != g.Negated)).ToList();
        if (indexes.Count == 0) return kept;
        return indexes.Select(i =>
        {
            int at = i < 0 ? kept.Count + i : i;
            if (at < 0 || at >= kept.Count) throw new GridException($"index {i} is out of range: {kept.Count} XP(s) match the patterns");
            return kept[at];
        }).ToList();
    }
}
