using System.Globalization;

namespace Loom.Searches;

/// <summary>
/// The search's table as plain text, one row per trial: its parameters, its state (PRUNED with the epoch of
/// its rung), the epochs reached against the rung's budget, the objective and the best value so far.
/// </summary>
public static class SearchTable
{
    public static string Render(Search search, Direction direction, SearchState state, IReadOnlyList<int> rungs, Func<TrialRecord, int> epochsDone)
    {
        var keys = search.Space.Parameters.Select(p => p.Key).ToList();
        var header = new List<string> { "trial", "sig" };
        header.AddRange(keys);
        header.AddRange(["state", "epochs", search.Objective, "best"]);
        var rows = new List<List<string>> { header };
        double? best = null;
        foreach (var t in state.Trials)
        {
            var row = new List<string> { t.Number.ToString(CultureInfo.InvariantCulture), t.Sig };
            row.AddRange(keys.Select(k => t.Params.GetValueOrDefault(k, "-")));
            row.Add(StateLabel(t));
            row.Add($"{epochsDone(t)}/{(t.State == TrialState.Running ? rungs[t.Rung] : t.Values.Keys.LastOrDefault())}");
            double? latest = t.Values.Count > 0 ? t.Values.Values.Last() : null;
            row.Add(latest is double v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "");
            if (t.State == TrialState.Complete && t.Value is double c && (best is not double b || direction.Better(c, b))) best = c;
            row.Add(best is double bb ? bb.ToString("0.####", CultureInfo.InvariantCulture) : "");
            rows.Add(row);
        }
        var widths = header.Select((_, i) => rows.Max(r => r[i].Length)).ToList();
        return string.Join(Environment.NewLine, rows.Select(r => string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd())) + Environment.NewLine;
    }

    /// <summary>RUNNING, COMPLETE, FAILED, or PRUNED@R with the epoch of the rung where it stopped.</summary>
    public static string StateLabel(TrialRecord t) => t.State switch
    {
        TrialState.Pruned => $"PRUNED@{t.Values.Keys.LastOrDefault()}",
        var s => s.ToString().ToUpperInvariant(),
    };

    /// <summary>The best complete trial, or null.</summary>
    public static TrialRecord? Best(Direction direction, SearchState state) =>
        state.Trials.Where(t => t.State == TrialState.Complete && t.Value is double)
            .OrderBy(t => direction.Loss(t.Value!.Value)).ThenBy(t => t.Number).FirstOrDefault();
}
