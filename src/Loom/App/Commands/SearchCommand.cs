using Loom.Config;
using Loom.Experiments;
using Loom.Tables;
using Loom.Searches;
using Loom.Tasks;

namespace Loom.App.Commands;

/// <summary>What `loom search` was asked.</summary>
public sealed record SearchArgs(string Name, bool DryRun, bool Cancel, bool Best, bool Monitor, double IntervalSeconds,
    string? Outputs, IReadOnlyList<string> Assemblies, string? Scheduler);

/// <summary>
/// `loom search NAME`: checks the search (space, budget, every key against the config, the objective against
/// the task) before anything is written, then drives it (<see cref="SearchRun"/>) until the budget is spent,
/// showing the table; `--no-monitor` does one pass. `--dry-run` prints the next proposals, `-C` cancels,
/// `--best` prints the best trial's overrides.
/// </summary>
public static class SearchCommand
{
    public static int Run(LoomAppDefinition app, string confDir, SearchArgs a) => CommandContext.Guard(() =>
    {
        try { return Drive(app, confDir, a); }
        catch (SearchException e) { throw new UsageException(e.Message); }
    });

    static int Drive(LoomAppDefinition app, string confDir, SearchArgs a)
    {
        if (a.IntervalSeconds <= 0) throw new UsageException($"-i {a.IntervalSeconds}: expected a positive number of seconds");
        string outputs = CommandContext.OutputsRoot(confDir, a.Outputs);
        var search = new SearchCatalog(CommandContext.Assemblies(app, a.Assemblies)).Get(a.Name);
        search.Validate(a.Name);
        PreparedXp Prepare(IReadOnlyList<string> argv) => app.Prepare(Xp.Create(confDir, argv, outputs));
        Xp Compose(IReadOnlyList<string> argv) => Prepare(argv).Xp;
        var direction = Objective(a.Name, search, Prepare);
        using var scheduler = CommandContext.Scheduler(outputs, a.Scheduler, confDir);
        var run = new SearchRun(a.Name, search, direction, confDir, outputs, scheduler, Compose, Console.Out);
        CheckKeys(a.Name, search, run, Compose);

        if (a.DryRun)
        {
            var peek = SearchState.Load(run.Folder);
            int running = peek.Trials.Count(t => t.State == TrialState.Running);
            int next = Math.Min(search.Trials - peek.Trials.Count, Math.Max(0, search.Parallel - running));
            for (int n = peek.Trials.Count; n < peek.Trials.Count + next; n++)
            {
                var trial = run.Propose(peek, n);
                Console.WriteLine($"[dry run] would submit trial {n} {trial.Sig} epochs {run.Rungs[0]}: {string.Join(" ", run.Overrides(trial))}");
            }
            if (next == 0) Console.WriteLine("[dry run] nothing to propose now");
            return 0;
        }
        using var busy = XpLock.Acquire(Directory.CreateDirectory(run.Folder).FullName); // one driver per search
        var state = SearchState.Load(run.Folder);
        if (a.Cancel) { Console.WriteLine($"cancelled {run.Cancel(state)} job(s) of search {a.Name}"); return 0; }
        if (a.Best) return PrintBest(search, direction, state, run);
        string shown = "";
        while (true)
        {
            bool done = run.Step(state);
            string table = SearchTable.Render(search, direction, state, run.Rungs, t => XpMetrics.Read(Path.Combine(outputs, Xp.XpsFolder, t.Sig)).Epochs);
            if (table != shown || done || !a.Monitor) Console.Write(table);
            shown = table;
            if (done) { Console.WriteLine($"search {a.Name}: budget spent ({state.Trials.Count} trials)"); return PrintBest(search, direction, state, run); }
            if (!a.Monitor) return 0;
            Thread.Sleep(TimeSpan.FromSeconds(a.IntervalSeconds));
        }
    }

    /// <summary>
    /// The objective's direction, as the task declares the metric (what its trainer writes into every trial's
    /// metrics.json); a metric the task never writes, or a split it cannot select on, is refused in one line. The
    /// split is checked as `monitor` is (the same rule: train or valid, and valid only with a validation split).
    /// </summary>
    static Direction Objective(string name, Search search, Func<IReadOnlyList<string>, PreparedXp> prepare)
    {
        var first = new TrialRecord { Params = new GridSampler(2).Combinations(search.Space)[0].ToDictionary(kv => kv.Key, kv => Trial.Format(kv.Value)) };
        var argv = SearchRun.OverridesOf(search, first);
        var declared = prepare(argv).Task.Declarations();
        if (!declared.Declares(search.Objective) || !search.Objective.Contains('.'))
            throw new UsageException($"search '{name}': objective {search.Objective} is not a metric the task writes " +
                $"(expected <train|valid>.<{string.Join("|", declared.Metrics.Select(m => m.Name))}>)");
        try { prepare([.. argv, $"++monitor={search.Objective}"]); }
        catch (ConfigException e)
        {
            throw new UsageException($"search '{name}': objective {search.Objective} cannot select trials ({e.Message.ReplaceLineEndings(" ")})");
        }
        return DirectionExtensions.Of(declared.For(search.Objective));
    }

    /// <summary>
    /// Every key of the space exists in the config (composing the trials of a two-point grid of the space, so
    /// conditional keys are checked under their choice), and the rung key stays out of the signature.
    /// </summary>
    static void CheckKeys(string name, Search search, SearchRun run, Func<IReadOnlyList<string>, Xp> compose)
    {
        foreach (var combo in new GridSampler(2).Combinations(search.Space).Take(64))
        {
            var trial = new TrialRecord { Params = combo.ToDictionary(kv => kv.Key, kv => Trial.Format(kv.Value)) };
            var full = compose(run.Overrides(trial));
            if (run.Rungs.Count > 1 && run.TrialXp(trial, run.Rungs[0]).Sig != full.Sig)
                throw new UsageException($"search '{name}': {SearchRun.StopAfterKey} changes the signature; add loom.* to loom.exclude");
        }
    }

    static int PrintBest(Search search, Direction direction, SearchState state, SearchRun run)
    {
        if (SearchTable.Best(direction, state) is not { } best) { Console.WriteLine("no complete trial yet"); return 0; }
        Console.WriteLine($"best: trial {best.Number} {best.Sig} {search.Objective}={best.Value:0.####}");
        Console.WriteLine($"loom train {string.Join(" ", run.Overrides(best))}");
        return 0;
    }
}
