using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// What `loom grid` must do, decided from the grid, the jobs and the flags before anything is done (so
/// `--dry-run` prints exactly what a real run does). Dora's rules: an XP without a job is submitted; a
/// completed one only with replace-done; a failed or cancelled one only with retry; a pending or running one
/// is left alone unless replace; XPs that left the grid have their active jobs cancelled.
/// </summary>
public sealed record GridPlan(IReadOnlyList<GridXp> Submit, IReadOnlyList<(string Sig, JobInfo Job, string Why)> Cancel, IReadOnlyList<GridXp> Clear)
{
    public static GridPlan Make(IReadOnlyList<GridXp> selected, IReadOnlyDictionary<string, JobInfo> jobs,
        IEnumerable<string> removedSigs, GridOptions o)
    {
        var submit = new List<GridXp>();
        var cancel = new List<(string, JobInfo, string)>();
        foreach (var sig in removedSigs)
            if (jobs.TryGetValue(sig, out var old) && old.State.IsActive()) cancel.Add((sig, old, "no longer in the grid"));
        foreach (var member in selected)
        {
            string sig = member.Xp.Sig;
            var job = jobs.GetValueOrDefault(sig);
            bool active = job is not null && job.State.IsActive();
            if (o.Cancel || o.Clear)
            {
                if (active) cancel.Add((sig, job!, o.Clear ? "cleared" : "cancel requested"));
                if (o.Clear) submit.Add(member); // Dora's clear restarts the XP from scratch
                continue;
            }
            bool again = job switch
            {
                null => true,
                { State: JobState.Completed } => o.ReplaceDone,
                { State: JobState.Pending or JobState.Running } => o.Replace,
                _ => o.Retry, // FAILED, CANCELLED, TIMEOUT
            };
            if (!again) continue;
            if (active) cancel.Add((sig, job!, "replaced"));
            submit.Add(member);
        }
        return new GridPlan(submit, cancel, o.Clear ? selected : []);
    }
}
