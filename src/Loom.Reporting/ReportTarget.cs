using Loom.Experiments;
using Loom.Grids;
using Loom.Scheduling;
using Loom.Searches;

namespace Loom.Reporting;

/// <summary>One XP to report, with the latest job the local scheduler holds for it (null when none).</summary>
public sealed record ReportTarget(Xp Xp, JobInfo? Job);

/// <summary>
/// What `loom report GRID | SEARCH | SIG...` names, as XPs: a grid is the list of signatures it remembered the last
/// time it ran (`grids/&lt;name&gt;/members.json`, see <see cref="GridMembers"/>), a search its trials
/// (`searches/&lt;name&gt;/state.json`), so that reporting never runs a grid's or a search's code; anything else is a signature. Reads only: the XP folders and the scheduler's store.
/// </summary>
public static class ReportTargets
{
    public static IReadOnlyList<ReportTarget> Resolve(string confDir, string outputsRoot, IReadOnlyList<string> gridsOrSigs)
    {
        if (gridsOrSigs.Count == 0) throw new ReportException("name a grid or at least one XP signature");
        var sigs = new List<string>();
        foreach (var name in gridsOrSigs)
        {
            var members = File.Exists(GridMembers.PathOf(outputsRoot, name)) ? GridMembers.Load(outputsRoot, name) : null;
            if (members is not null) sigs.AddRange(members);
            else if (SearchState.Exists(outputsRoot, name)) sigs.AddRange(LoadSearch(outputsRoot, name).Trials.Select(t => t.Sig));
            else if (IsSig(name) && (Directory.Exists(Path.Combine(outputsRoot, Xp.XpsFolder, name)))) sigs.Add(name);
            else throw new ReportException($"'{name}' is neither a grid that ran in {outputsRoot} (no {GridMembers.PathOf(outputsRoot, name)}) nor a search (no {Path.Combine(SearchState.Folder(outputsRoot, name), SearchState.FileName)}) nor an XP signature with a folder there");
        }
        sigs = sigs.Distinct().ToList();
        var jobs = Jobs(outputsRoot, sigs);
        return sigs.Select(sig => new ReportTarget(Load(confDir, outputsRoot, sig, jobs), jobs.GetValueOrDefault(sig))).ToList();
    }

    /// <summary>The search a report names, when it names exactly one and no grid has that name; else null.</summary>
    public static (string Name, SearchState State)? SearchOf(string outputsRoot, IReadOnlyList<string> names) =>
        names is [var name] && !File.Exists(GridMembers.PathOf(outputsRoot, name)) && SearchState.Exists(outputsRoot, name)
            ? (name, LoadSearch(outputsRoot, name)) : null;

    static SearchState LoadSearch(string outputsRoot, string name)
    {
        try { return SearchState.Load(SearchState.Folder(outputsRoot, name)); }
        catch (SearchException e) { throw new ReportException(e.Message); }
    }

    /// <summary>A signature is a plain folder name: no path can escape the outputs folder through it.</summary>
    public static bool IsSig(string name) => name.Length is > 0 and <= 64 && name.All(char.IsAsciiLetterOrDigit);

    static Xp Load(string confDir, string outputsRoot, string sig, IReadOnlyDictionary<string, JobInfo> jobs)
    {
        if (!IsSig(sig)) throw new ReportException($"'{sig}' is not a signature");
        if (File.Exists(Path.Combine(outputsRoot, Xp.XpsFolder, sig, Xp.ArgvFile)) || !jobs.ContainsKey(sig))
            return Xp.FromFolder(confDir, outputsRoot, sig);
        // A grid member that has not started yet has no folder: its overrides are in the scheduler's store.
        using var store = new JobStore(new SchedulerPaths(outputsRoot).Database);
        var row = store.Get(long.Parse(jobs[sig].JobId))!;
        var xp = Xp.Create(confDir, row.Request.Argv, outputsRoot);
        return xp.Sig == sig ? xp : throw new ReportException($"the overrides of {sig} now give signature {xp.Sig} (the defaults changed since)");
    }

    /// <summary>The latest job of each XP, read from the local scheduler's store when there is one.</summary>
    public static IReadOnlyDictionary<string, JobInfo> Jobs(string outputsRoot, IEnumerable<string> sigs)
    {
        string db = new SchedulerPaths(outputsRoot).Database;
        if (!File.Exists(db)) return new Dictionary<string, JobInfo>();
        using var store = new JobStore(db);
        return store.Latest(sigs).ToDictionary(kv => kv.Key, kv => kv.Value.Info);
    }
}
