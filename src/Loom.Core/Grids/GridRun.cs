using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// One `loom grid` pass: filter the grid's XPs by the patterns, make the plan, and carry it out in an order
/// that a kill at any instant cannot spoil: remember every XP that may get a job before submitting, cancel
/// before resubmitting, forget the removed XPs only once their jobs are cancelled.
/// </summary>
public sealed class GridRun(string gridName, string confDir, string outputsRoot, IScheduler scheduler, TextWriter log)
{
    /// <summary>The selected XPs and their jobs after the pass. <paramref name="confirmClear"/> is asked before --clear deletes.</summary>
    public (IReadOnlyList<GridXp> Selected, GridPlan Plan) Execute(IReadOnlyList<GridXp> grid, IReadOnlyList<string> patterns,
        GridOptions o, Func<int, bool> confirmClear)
    {
        if (o.Clear && o.DryRun) throw new GridException("--dry-run cannot be combined with --clear");
        var selectedIdx = GridFilter.Select(grid.Select(g => g.Xp.Name).ToList(), patterns);
        var selected = selectedIdx.Select(i => grid[i]).ToList();
        var sigs = grid.Select(g => g.Xp.Sig).ToHashSet();
        var previous = GridMembers.Load(outputsRoot, gridName);
        var removed = previous.Where(s => !sigs.Contains(s)).ToList();
        var jobs = scheduler.Latest(sigs.Concat(removed));
        var plan = GridPlan.Make(selected, jobs, removed, o);

        string prefix = o.DryRun ? "[dry run] would " : "";
        if (o.Clear && !confirmClear(plan.Clear.Count)) throw new GridException("--clear not confirmed: nothing was cancelled or deleted");
        if (!o.DryRun) GridMembers.Save(outputsRoot, gridName, previous.Concat(grid.Select(g => g.Xp.Sig)).Distinct());
        foreach (var (sig, job, why) in plan.Cancel) log.WriteLine($"{prefix}cancel job {job.JobId} of {sig} ({why})");
        if (!o.DryRun) scheduler.Cancel(plan.Cancel.Select(c => c.Job.JobId));
        foreach (var member in plan.Clear)
        {
            log.WriteLine($"{prefix}delete {member.Xp.Folder}");
            if (!o.DryRun && Directory.Exists(member.Xp.Folder)) Directory.Delete(member.Xp.Folder, recursive: true);
        }
        if (o.Init && !o.DryRun) foreach (var member in selected) member.Xp.WriteDefinition();
        foreach (var member in plan.Submit) log.WriteLine($"{prefix}submit {member.Xp.Sig} {member.Xp.Name}".TrimEnd());
        if (!o.DryRun)
        {
            scheduler.Submit(plan.Submit.Select(Request).ToList());
            GridMembers.Save(outputsRoot, gridName, grid.Select(g => g.Xp.Sig));
        }
        return (selected, plan);
    }

    /// <summary>The job request of an XP: the worker rebuilds the XP from the conf folder and the overrides.</summary>
    public JobRequest Request(GridXp member) => Request(member.Xp, member.Resources, confDir, outputsRoot);

    public static JobRequest Request(Xp xp, Resources resources, string confDir, string outputsRoot) =>
        new(xp.Sig, xp.Argv, confDir, outputsRoot, xp.Folder, resources);
}
