using Loom.Experiments;
using Loom.Grids;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// `loom launch [overrides…]`: one XP through the scheduler, with the same rules as a grid member
/// (`-r`, `-R`, `-D`); prints its sig and job.
/// </summary>
public static class LaunchCommand
{
    public static int Run(LoomAppDefinition app, string confDir, IReadOnlyList<string> overrides, GridOptions rules, int? cpus, string? outputsOption, string? schedulerKind = null, int? tasks = null) => CommandContext.Guard(() =>
    {
        if (cpus is <= 0) throw new UsageException($"--cpus {cpus}: expected a positive number");
        if (tasks is <= 0) throw new UsageException($"-d {tasks}: expected a positive number of processes");
        var xp = app.Prepare(Xp.Create(confDir, overrides, outputsOption is null ? null : Path.GetFullPath(outputsOption))).Xp;
        string outputs = Path.GetDirectoryName(Path.GetDirectoryName(xp.Folder))!; // <outputs>/xps/<sig>
        var herd = new Herd(_ => xp); // resolves the default cpus (the XP's threads) as a grid does
        herd.Add(overrides, CommandContext.DefaultResources(confDir).With(cpus: cpus, tasks: tasks));
        var member = herd.Complete()[0];
        using var scheduler = CommandContext.Scheduler(outputs, schedulerKind, confDir);
        var jobs = scheduler.Latest([xp.Sig]);
        var plan = GridPlan.Make([member], jobs, [], rules);
        scheduler.Cancel(plan.Cancel.Select(c => c.Job.JobId));
        var submitted = scheduler.Submit(plan.Submit.Select(m => GridRun.Request(m.Xp, m.Resources, confDir, outputs)).ToList());
        var job = submitted.FirstOrDefault() ?? jobs[xp.Sig];
        string verb = submitted.Count > 0 ? "submitted" : "already has";
        Console.WriteLine($"{xp.Sig} {xp.Name} {verb} job {job.JobId} ({job.State.Name()})".Replace("  ", " "));
        return 0;
    });
}
