namespace Loom.Scheduling.Slurm;

/// <summary>
/// What Slurm says of a set of active jobs, in one `squeue -r -t all` (plus one `scontrol show job` per job
/// that just failed, for its exit code). A job Slurm no longer shows (older than MinJobAge) is read from the
/// jobcomp file when the cluster writes one, else from the exit file the batch script wrote; never `sacct`.
/// </summary>
public sealed class SlurmStateReader(SlurmCommands slurm, SlurmPaths paths)
{
    string? jobCompLoc;
    bool jobCompLooked;

    /// <summary>A change to record for one job.</summary>
    public sealed record Change(long Id, JobState State, int? ExitCode, int? Signal, string? Reason);

    /// <summary>The changes of these active jobs since the store last saw them.</summary>
    public IReadOnlyList<Change> Read(IReadOnlyList<SlurmJobRow> active)
    {
        var seen = Squeue(active.Select(r => r.SlurmId!.Split('_')[0]).Distinct());
        var changes = new List<Change>();
        foreach (var row in active)
        {
            // Members of an array cancelled before Slurm split them off show only as the array's own record (`N`).
            if (seen.TryGetValue(row.SlurmId!, out var s) || row.Task is not null && seen.TryGetValue(row.SlurmId!.Split('_')[0], out s))
            {
                var state = SlurmStates.Map(s.State);
                if (state.Name() == row.State && state.IsActive() && s.Reason == row.Reason) continue;
                var (exit, signal) = state is JobState.Failed or JobState.Timeout ? ExitOf(row.SlurmId!) : (state == JobState.Completed ? 0 : null, null);
                changes.Add(new(row.Id, state, exit, signal, s.Reason));
            }
            else changes.Add(Forgotten(row));
        }
        return changes;
    }

    /// <summary>`squeue -r -t all` of these jobs: state and reason per id (`ID` or `ID_TASK`).</summary>
    Dictionary<string, (string State, string? Reason)> Squeue(IEnumerable<string> jobIds)
    {
        var result = slurm.Run("squeue", ["-h", "-r", "-t", "all", "-j", string.Join(',', jobIds), "-o", "%i|%T|%r"], check: false);
        // squeue fails when none of the ids is known any more (all forgotten): that is an empty answer.
        if (result.Code != 0 && !result.Err.Contains("Invalid job id"))
            throw new SlurmException($"squeue failed (exit {result.Code}): {result.Err.Trim().Split('\n')[0]}");
        var seen = new Dictionary<string, (string, string?)>();
        foreach (var line in result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split('|');
            if (f.Length >= 3) seen[f[0]] = (f[1], f[2] is "None" or "" ? null : f[2]);
        }
        return seen;
    }

    (int?, int?) ExitOf(string slurmId)
    {
        var shown = slurm.Run("scontrol", ["-o", "show", "job", slurmId], check: false);
        return SlurmStates.ParseExitCode(Field(shown.Out, "ExitCode"));
    }

    /// <summary>A job Slurm no longer shows (older than MinJobAge): its end from the jobcomp file, else from the batch script's exit file.</summary>
    Change Forgotten(SlurmJobRow row)
    {
        if (JobCompLine(row) is string line)
        {
            var (code, signal) = SlurmStates.ParseExitCode(Field(line, "ExitCode"));
            return new(row.Id, SlurmStates.Map(Field(line, "JobState") ?? "FAILED"), code, signal, "from the jobcomp file");
        }
        string exitFile = paths.Exit(row.Token, row.Task);
        if (File.Exists(exitFile) && int.TryParse(File.ReadAllText(exitFile).Split(' ')[0], out var rc))
            return new(row.Id, rc == 0 ? JobState.Completed : JobState.Failed, rc, null, "from the batch script's exit file");
        return new(row.Id, JobState.Failed, null, null, $"Slurm no longer knows job {row.SlurmId} and no end was recorded");
    }

    string? JobCompLine(SlurmJobRow row)
    {
        if (!jobCompLooked)
        {
            jobCompLooked = true;
            var config = slurm.Run("scontrol", ["show", "config"], check: false).Out.Split('\n');
            string? Setting(string key) => config.Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim() == key).Select(p => p[1].Trim()).FirstOrDefault();
            if (Setting("JobCompType") == "jobcomp/filetxt") jobCompLoc = Setting("JobCompLoc");
        }
        if (jobCompLoc is null || !File.Exists(jobCompLoc)) return null;
        var id = row.SlurmId!.Split('_');
        var lines = File.ReadLines(jobCompLoc).ToList();
        if (id.Length == 1) return lines.LastOrDefault(l => Field(l, "JobId") == id[0]);
        // A member's own line; else the array's record of members never split off (task id NO_VAL, 4294967294).
        return lines.LastOrDefault(l => Field(l, "ArrayJobId") == id[0] && Field(l, "ArrayTaskId") == id[1])
            ?? lines.LastOrDefault(l => Field(l, "JobId") == id[0] && Field(l, "ArrayTaskId") == "4294967294");
    }

    /// <summary>`Key=value` out of a line of `Key=value` fields (scontrol -o, jobcomp).</summary>
    public static string? Field(string line, string key) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(f => f.StartsWith(key + "="))?[(key.Length + 1)..];
}
