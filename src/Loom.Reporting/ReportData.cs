using System.Text.Json;
using System.Text.Json.Serialization;
using Loom.Config;
using Loom.Experiments;
using Loom.Scheduling;
using Loom.Tables;

namespace Loom.Reporting;

/// <summary>
/// Everything the report page shows, as plain data read from XP folders: it is embedded as JSON in the
/// HTML file and served by `loom serve`'s snapshot endpoint. <see cref="Params"/> are the delta keys of
/// all XPs (the hyper-parameters of the parallel-coordinates view), <see cref="Metrics"/> the curves found;
/// <see cref="Maximized"/> and <see cref="Percent"/> the metrics whose task declared them higher-is-better and
/// shown as percentages (the XPs' metrics.json); <see cref="Search"/> the search views when the report names a search.
/// </summary>
public sealed record ReportData(
    string Title, string BaseName, DateTimeOffset Generated, bool Live,
    IReadOnlyList<string> Params, IReadOnlyList<string> Metrics,
    IReadOnlyList<ReportXp> Xps, IReadOnlyList<SeedGroup> Groups,
    IReadOnlyList<string> Maximized, IReadOnlyList<string> Percent,
    SearchView? Search = null)
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null, // metric and parameter keys stay as written (`valid.accuracy`)
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>What `loom report`, `plot` and `serve` show for <paramref name="names"/> (grids, searches or signatures).</summary>
    public static ReportData Read(string confDir, string outputsRoot, IReadOnlyList<string> names, bool live = false) =>
        Build(string.Join(" ", names), ReportTargets.Resolve(confDir, outputsRoot, names), live, ReportTargets.SearchOf(outputsRoot, names));

    /// <summary>
    /// Reads the histories of <paramref name="targets"/> (in parallel: a grid may hold hundreds). With a
    /// <paramref name="search"/> (whose trials the targets are), an XP's state is its trial's (PRUNED@2) and the
    /// search views are added.
    /// </summary>
    public static ReportData Build(string title, IReadOnlyList<ReportTarget> targets, bool live = false, (string Name, Searches.SearchState State)? search = null)
    {
        var curves = new XpCurves[targets.Count];
        try { Parallel.For(0, targets.Count, i => curves[i] = XpCurves.Read(targets[i].Xp.Folder)); }
        catch (AggregateException e) when (e.InnerExceptions[0] is ReportException first) { throw first; }
        var paramKeys = targets.SelectMany(t => t.Xp.Delta.Select(d => d.Key)).Distinct().ToList();
        var metrics = ReportMetrics.Order(curves.SelectMany(c => c.Metrics.Keys));
        var declared = targets.Select(t => ReadDeclared(t.Xp.Folder)).ToList();
        var specs = metrics.ToDictionary(m => m, m => MetricDeclarations.For(declared, m));
        var (baseName, names) = XpName.ForGrid(targets.Select(t => t.Xp.Delta).ToList());

        // Seed groups: XPs whose delta is the same once `seed` is dropped, named like the table's `--seeds` rows.
        var seedless = targets.Select(t => (IReadOnlyList<DeltaItem>)t.Xp.Delta.Where(d => d.Key != SeedAggregation.SeedKey).ToList()).ToList();
        var groupOf = seedless.Select(Signature.Compute).ToList();
        var groupKeys = groupOf.Distinct().ToList();
        var groupNames = XpName.ForGrid(groupKeys.Select(k => seedless[groupOf.IndexOf(k)]).ToList()).Names;
        var trialStates = search?.State.Trials.ToDictionary(t => t.Sig, Searches.SearchTable.StateLabel) ?? [];
        var xps = targets.Select((t, i) => new ReportXp(
            t.Xp.Sig, names[i], trialStates.GetValueOrDefault(t.Xp.Sig) ?? t.Job?.State.Name() ?? "", groupKeys.IndexOf(groupOf[i]),
            paramKeys.ToDictionary(k => k, k => ParamValue(t.Xp, k)),
            curves[i].Epochs, curves[i].Metrics,
            metrics.ToDictionary(m => m, m => curves[i].Final(m)),
            metrics.ToDictionary(m => m, m => curves[i].Best(m, specs[m])))).ToList();
        var groups = groupKeys.Select((_, g) =>
        {
            var members = xps.Where(x => x.Group == g).ToList();
            return new SeedGroup(groupNames[g], members.Select(x => x.Sig).ToList(),
                metrics.ToDictionary(m => m, m => SeedStat.Of(members.Select(x => x.Final[m]))),
                metrics.ToDictionary(m => m, m => SeedStat.Of(members.Select(x => x.Best[m]))));
        }).ToList();
        var epochs = xps.ToDictionary(x => x.Sig, x => x.Epochs.Count);
        var view = search is var (name, state) && state.Objective is { } objective
            ? SearchView.Build(name, state, MetricDeclarations.For(declared, objective), sig => epochs.GetValueOrDefault(sig))
            : null;
        return new ReportData(title, baseName, DateTimeOffset.UtcNow, live, paramKeys, metrics, xps, groups,
            metrics.Where(m => specs[m].Maximize).ToList(), metrics.Where(m => specs[m].Format == MetricFormat.Percent).ToList(), view);
    }

    /// <summary>Whether the plots show <paramref name="metric"/> as a percentage.</summary>
    public bool IsPercent(string metric) => Percent.Contains(metric);

    static MetricDeclarations ReadDeclared(string xpFolder)
    {
        try { return MetricDeclarations.Read(xpFolder); }
        catch (InvalidDataException e) { throw new ReportException(e.Message); }
    }

    /// <summary>
    /// An XP's value for a report parameter: its delta's, else its resolved config's (a key that another XP
    /// changed), else its config group's choice. Numbers stay numbers (numeric axes); anything else is text.
    /// </summary>
    static object? ParamValue(Xp xp, string key)
    {
        var item = xp.Delta.FirstOrDefault(d => d.Key == key);
        object? value = item is not null ? item.Value
            : xp.GroupChoices.Any(c => c.Key == key) ? xp.GroupChoices.First(c => c.Key == key).Value
            : ConfigPath.TryFind(xp.Config, key, out var fromConfig) && fromConfig is not ConfigNode ? fromConfig : null;
        return value switch
        {
            null => null,
            bool b => b ? "true" : "false",
            long or int or double or float => Convert.ToDouble(value),
            _ => ScalarText.Format(value),
        };
    }
}
