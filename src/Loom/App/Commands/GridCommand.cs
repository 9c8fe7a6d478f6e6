using Loom.Experiments;
using Loom.Grids;
using Loom.Tables;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>What `loom grid` was asked, beyond the submit rules.</summary>
public sealed record GridArgs(string Name, IReadOnlyList<string> Patterns, GridOptions Options, bool Yes, double IntervalMinutes,
    int? Trim, bool TrimLast, bool Monitor, int? Jobs, bool Seeds, string? Outputs, IReadOnlyList<string> GridAssemblies, bool TensorBoard = false, string? Scheduler = null, bool List = false);

/// <summary>
/// `loom grid NAME [patterns…]`: runs the grid's explore method, reconciles the scheduler with it (Dora's
/// rules, see <see cref="GridPlan"/>), then shows the table, refreshed every `-i` minutes until every XP is
/// done unless `--no-monitor`.
/// </summary>
public static class GridCommand
{
    public static int Run(LoomAppDefinition app, string confDir, GridArgs a) => CommandContext.Guard(() =>
    {
        if (a.List) // what there is to run
        {
            foreach (var line in CommandContext.Grids(app, a.GridAssemblies).Listing()) Console.WriteLine(line);
            return 0;
        }
        if (a.Name.Length == 0) throw new UsageException($"grid: name a grid (`{app.Name} grid --list` lists them)");
        if (a.Jobs is <= 0) throw new UsageException($"--jobs {a.Jobs}: expected a positive number");
        if (a.Jobs is int jobs && Training.MachineLimits.JobsWarning(jobs, Training.MachineLimits.Cores) is string warning)
            Console.Error.WriteLine($"{app.Name}: warning: {warning}");
        if (a.IntervalMinutes <= 0) throw new UsageException($"-i {a.IntervalMinutes}: expected a positive number of minutes");
        string outputs = CommandContext.OutputsRoot(confDir, a.Outputs);
        var grid = CommandContext.Grids(app, a.GridAssemblies).Get(a.Name);
        var xps = GridCatalog.Explore(a.Name, grid, argv => app.Prepare(Xp.Create(confDir, argv, outputs)).Xp, CommandContext.DefaultResources(confDir)); // a member that train would refuse fails the grid before anything is scheduled
        GridFilter.Select(xps.Select(x => x.Xp.Name).ToList(), a.Patterns); // a bad pattern fails before anything changes
        using var scheduler = CommandContext.Scheduler(outputs, a.Scheduler, confDir);
        if (a.Jobs is int n && !a.Options.DryRun)
        {
            if (scheduler is not LocalScheduler local) throw new UsageException("--jobs: only the local scheduler caps running XPs (Slurm: array_parallelism)");
            local.SetMaxJobs(n);
        }
        var run = new GridRun(a.Name, confDir, outputs, scheduler, Console.Out);
        var (selected, _) = run.Execute(xps, a.Patterns, a.Options, count => Confirm(a, count));
        // Housekeeping: frozen code copies that no active Slurm job runs any more.
        if (a.Options.Clear && scheduler is Scheduling.Slurm.SlurmScheduler slurm) slurm.CollectCode();
        if (a.Options.Cancel) return 0;
        if (selected.Count == 0) { Console.WriteLine("No XP matches."); return 0; }
        if (a.TensorBoard)
        {
            string folder;
            try { folder = Loom.TensorBoard.GridTensorBoard.Write(outputs, a.Name, selected.Select(s => s.Xp)); }
            catch (ArgumentException e) { throw new UsageException($"--tensorboard: {e.Message}"); } // e.g. a file where a link should go
            Console.WriteLine($"TensorBoard: tensorboard --logdir {folder}   (run again after the first epochs to list every metric)");
        }
        if (a.Trim is int t && (t < 0 || t >= selected.Count)) throw new UsageException($"-T {t}: expected an index below {selected.Count}");
        while (true)
        {
            bool done = Show(scheduler, selected, a, grid.Metrics);
            if (done || !a.Monitor) return 0;
            Console.WriteLine($"Next update in {a.IntervalMinutes * 60:0.#} s (Ctrl-C stops watching; the jobs go on)");
            Thread.Sleep(TimeSpan.FromMinutes(a.IntervalMinutes));
        }
    });

    /// <summary>Prints the table once; true when no selected XP is pending or running.</summary>
    public static bool Show(IScheduler scheduler, IReadOnlyList<GridXp> selected, GridArgs a, IReadOnlyList<string>? metrics = null)
    {
        var jobs = scheduler.Latest(selected.Select(s => s.Xp.Sig));
        int? trim = a.Trim is int t ? XpMetrics.Read(selected[t].Xp.Folder).Epochs : null;
        var values = new XpMetrics[selected.Count];
        Parallel.For(0, selected.Count, i => values[i] = XpMetrics.Read(selected[i].Xp.Folder, trim));
        if (a.TrimLast && trim is null) // -L: every XP at the epoch of the least advanced one
        {
            int least = values.Min(m => m.Epochs);
            Parallel.For(0, selected.Count, i => values[i] = XpMetrics.Read(selected[i].Xp.Folder, least));
        }
        var rows = selected.Select((s, i) => new XpStatus(i, s.Xp, jobs.GetValueOrDefault(s.Xp.Sig), values[i])).ToList();
        var table = a.Seeds ? SeedAggregation.Build(rows, metrics) : GridTable.Build(rows, metrics);
        TableRenderer.Write(table, Console.Out, terminal: !Console.IsOutputRedirected);
        return rows.All(r => r.Job is null || !r.Job.State.IsActive());
    }

    static bool Confirm(GridArgs a, int count)
    {
        Console.Error.WriteLine($"About to cancel and delete the folders of {count} XP(s) of grid {a.Name}; this cannot be undone.");
        if (a.Yes) return true;
        Console.Error.Write("Confirm [yN]: ");
        string? answer = Console.In.ReadLine();
        if (Console.IsInputRedirected) Console.Error.WriteLine(answer); // echo a piped answer: the next message starts its own line
        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
