namespace Loom.Reporting;

/// <summary>
/// One XP as the page sees it: identity and state, its hyper-parameters (the report's delta keys, each a
/// number or a text), its curves, and for each metric the final and the best value.
/// <see cref="Group"/> is the index of its seed group in <see cref="ReportData.Groups"/>.
/// </summary>
public sealed record ReportXp(
    string Sig, string Name, string State, int Group,
    IReadOnlyDictionary<string, object?> Params,
    IReadOnlyList<int> Epochs,
    IReadOnlyDictionary<string, IReadOnlyList<double?>> Curves,
    IReadOnlyDictionary<string, double?> Final,
    IReadOnlyDictionary<string, double?> Best);

/// <summary>A metric over the seeds of a group: mean, sample standard deviation (0 for one seed) and count.</summary>
public sealed record SeedStat(double Mean, double Std, int N)
{
    public static SeedStat? Of(IEnumerable<double?> values)
    {
        var v = values.OfType<double>().ToList();
        if (v.Count == 0) return null;
        double mean = v.Average();
        double std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1)) : 0;
        return new SeedStat(mean, std, v.Count);
    }
}

/// <summary>XPs that differ only by `seed` (as in the terminal table's `--seeds`): final and best metrics as mean ± std.</summary>
public sealed record SeedGroup(string Name, IReadOnlyList<string> Sigs,
    IReadOnlyDictionary<string, SeedStat?> Final, IReadOnlyDictionary<string, SeedStat?> Best);
