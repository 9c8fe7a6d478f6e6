using System.Globalization;
using Loom.Experiments;
using Loom.Searches;

namespace Loom.Reporting;

/// <summary>One trial as the search views draw it: its parameters (numbers, or text for a choice), its state (PRUNED@R),
/// its objective (at its last rung for a pruned trial; null when it failed) and the epochs it trained.</summary>
public sealed record SearchTrialView(int Number, string Sig, string State, IReadOnlyDictionary<string, object?> Params, double? Value, int Epochs);

/// <summary>The best complete objective once <see cref="X"/> trials have finished, or <see cref="X"/> epochs have been spent.</summary>
public sealed record BestSoFar(int X, double Best);

/// <summary>
/// What the report shows of a search besides its trials' curves and parallel coordinates: the best-so-far curve
/// against the trials finished and against the epochs spent, and one marginal plot per parameter (objective against
/// value). Read from the search's state.json (the trials, the order they finished, the objective and the axes) and
/// the trials' folders (epochs trained, metrics.json for the direction); the search's code never runs.
/// </summary>
/// <remarks>
/// Epochs spent at the k-th finished trial: the epochs trained by the first k trials to finish, so a pruned trial
/// counts its rung, a complete one the full budget; trials still running are not counted (their share is unknown
/// until they end).
/// </remarks>
public sealed record SearchView(string Name, string Objective, bool Maximize, IReadOnlyList<SearchAxis> Parameters,
    IReadOnlyList<SearchTrialView> Trials, IReadOnlyList<BestSoFar> BestByTrials, IReadOnlyList<BestSoFar> BestByEpochs)
{
    /// <summary>The view of <paramref name="state"/>; <paramref name="epochsOf"/> gives the epochs a trial's XP trained.</summary>
    public static SearchView Build(string name, SearchState state, MetricSpec objective, Func<string, int> epochsOf)
    {
        if (state.Objective is null) throw new ReportException($"search {name}: its state.json predates the report's fields (run `loom search {name}` once to rewrite it)");
        var trials = state.Trials.Select(t => new SearchTrialView(t.Number, t.Sig, SearchTable.StateLabel(t),
            state.Parameters.ToDictionary(a => a.Key, a => Value(a, t.Params.GetValueOrDefault(a.Key))),
            t.State == TrialState.Failed ? null : t.Value ?? (t.Values.Count > 0 ? t.Values.Values.Last() : null),
            epochsOf(t.Sig))).ToList();
        var byTrials = new List<BestSoFar>();
        var byEpochs = new List<BestSoFar>();
        double? best = null;
        int epochs = 0;
        foreach (var (n, k) in state.Finished.Select((n, i) => (n, i + 1)))
        {
            var t = state.Trials[n];
            epochs += trials[n].Epochs;
            if (t.State == TrialState.Complete && t.Value is double v && (best is not double b || objective.Better(v, b))) best = v;
            if (best is double now) { byTrials.Add(new BestSoFar(k, now)); byEpochs.Add(new BestSoFar(epochs, now)); }
        }
        return new SearchView(name, state.Objective, objective.Maximize, state.Parameters, trials, byTrials, byEpochs);
    }

    /// <summary>A choice stays text (a categorical axis, in the order of its values as written); numbers become numbers.</summary>
    static object? Value(SearchAxis axis, string? text) =>
        text is null ? null
        : !axis.Choice && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
        : text;
}
