using System.Text;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The batch script of one submission: `#SBATCH` lines from the resources, then a table that maps
/// SLURM_ARRAY_TASK_ID to the member's XP and command. The worker runs as a child of the batch shell, which
/// forwards USR1 (sent `--signal=B:USR1@grace` before the time limit, or by preemption) and TERM to it and
/// records its exit code next to the script: Slurm forgets finished jobs after MinJobAge, that file does not.
/// </summary>
public static class SlurmScript
{
    /// <summary>One member: its XP folder (its console goes to `job.log` there) and the full command it runs.</summary>
    public sealed record Member(string Folder, IReadOnlyList<string> Command);

    public static string Build(SlurmPaths paths, string token, Resources resources, IReadOnlyList<Member> members, bool array,
        int signalGraceSeconds, string workingDirectory)
    {
        var s = new StringBuilder("#!/bin/bash\n");
        void Sbatch(string option) => s.Append("#SBATCH ").Append(option).Append('\n');
        Sbatch($"--job-name={SlurmPaths.JobName(token)}");
        Sbatch($"--output={Path.Combine(paths.Submission(token), array ? "slurm-%A_%a.out" : "slurm-%j.out")}");
        Sbatch("--open-mode=append");
        Sbatch($"--signal=B:USR1@{signalGraceSeconds}");
        Sbatch("--requeue"); // requeueable whatever the cluster's JobRequeue: `scontrol requeue` needs it, and a node failure too
        Sbatch($"--chdir={workingDirectory}");
        if (array) Sbatch($"--array=0-{members.Count - 1}%{resources.ArrayParallelism ?? 256}");
        foreach (var option in Options(resources)) Sbatch(option);
        foreach (var line in resources.Sbatch) s.Append(line.TrimStart().StartsWith("#SBATCH") ? line.Trim() : "#SBATCH " + line.Trim()).Append('\n');

        s.Append("# Written by Loom at submission. Members by SLURM_ARRAY_TASK_ID: XP folder and command.\n");
        s.Append("task=${SLURM_ARRAY_TASK_ID:-0}\n");
        s.Append("case $task in\n");
        for (int i = 0; i < members.Count; i++)
        {
            var command = Parallel(resources) ? [.. SrunPrefix(resources), .. members[i].Command] : members[i].Command;
            s.Append($"  {i}) folder={Quote(members[i].Folder)}; cmd=({string.Join(' ', command.Select(Quote))}) ;;\n");
        }
        s.Append("  *) echo \"loom: no member $task in this submission\" >&2; exit 2 ;;\nesac\n");
        s.Append($"echo \"$task ${{SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}} ${{SLURM_RESTART_COUNT:-0}}\" >> {Quote(paths.Started(token))}\n");
        if (resources.TimeMinutes is int minutes) s.Append($"export LOOM_SLURM_TIME_LIMIT_MIN={minutes}\n");
        s.Append($"export LOOM_SLURM_MAX_NUM_TIMEOUT={resources.MaxNumTimeout ?? SlurmRequeue.DefaultMaxNumTimeout}\n");
        foreach (var line in MpiAcrossNodes(resources)) s.Append(line).Append('\n');
        s.Append("mkdir -p \"$folder\"\n");
        s.Append("exec >>\"$folder/job.log\" 2>&1\n");
        s.Append("trap 'kill -USR1 $child 2>/dev/null' USR1\n");
        s.Append("trap 'kill -TERM $child 2>/dev/null' TERM\n");
        if (Parallel(resources)) foreach (var line in RelaunchUnlaunchedStep()) s.Append(line).Append('\n');
        else s.Append("\"${cmd[@]}\" &\nchild=$!\n").Append(WaitForChild).Append('\n');
        s.Append($"echo \"$rc ${{SLURM_RESTART_COUNT:-0}}\" > {Quote(paths.Submission(token))}/exit.$task\n");
        s.Append("exit $rc\n");
        return s.ToString();
    }

    // `wait` returns early when a trapped signal arrives: wait again until the child is really gone.
    const string WaitForChild = "while :; do wait $child; rc=$?; kill -0 $child 2>/dev/null || break; done";

    /// <summary>Tries at most this many steps when srun reports a step that never launched on every node.</summary>
    public const int StepLaunches = 4;

    /// <summary>
    /// The srun step again, as a new step, when the last one never launched on every node (srun: "aborted before
    /// step completely launched"): then no rank got past MPI_Init and nothing was trained. That happens when a
    /// requeued job starts while the step that a lost node cut off still lives there: the old slurmstepd holds PMIx's
    /// socket `stepd.slurm.pmix.JOB.STEP` in the node's spool, the new step has the same JOB.STEP (a requeued job counts
    /// its steps from 0 again), bind() fails ("Address already in use") and the step is cancelled. The next srun is step
    /// JOB.STEP+1: another socket. (Also a credential slurmd revoked a second before: the pause outlasts it.)
    /// </summary>
    static IEnumerable<string> RelaunchUnlaunchedStep()
    {
        yield return "launches=0";
        yield return "while :; do";
        yield return "  mark=$(stat -c %s \"$folder/job.log\")";
        yield return "  \"${cmd[@]}\" &";
        yield return "  child=$!";
        yield return "  " + WaitForChild;
        // Whatever srun's exit code: a fresh-machine run showed the aborted launch in job.log without this relaunch,
        // which srun exiting 0 would explain; such a step trained nothing, so it never ends the loop as a success.
        yield return "  tail -c +$((mark + 1)) \"$folder/job.log\" | grep -q 'aborted before step completely launched' || break";
        yield return "  ((rc == 0)) && rc=1";
        yield return $"  ((++launches < {StepLaunches})) || break";
        yield return $"  echo \"loom: the srun step of job $SLURM_JOB_ID did not launch on every node (a step cut off on a lost node may still hold its PMIx socket; see slurmd's log there): nothing ran, starting a new step in 3 s (launch $((launches + 1)) of {StepLaunches})\"";
        yield return "  sleep 3";
        yield return "done";
    }

    /// <summary>Several tasks or nodes: the worker's ranks are started by `srun` (PMIx: Debian's Open MPI has no other client).</summary>
    public static bool Parallel(Resources r) => r.Tasks > 1 || r.Nodes > 1 || r.TasksPerNode > 1;

    /// <summary>
    /// A job on several nodes: Open MPI over TCP between them (shared memory only within a node: `vader` is used only
    /// between ranks PMIx reports on the same node), kept to <see cref="Resources.MpiNetwork"/> when given. A user's own
    /// OMPI_MCA_btl wins (sbatch passes the submitter's environment on).
    /// </summary>
    public static IEnumerable<string> MpiAcrossNodes(Resources r)
    {
        if (!(r.Nodes > 1)) yield break;
        yield return "export OMPI_MCA_btl=\"${OMPI_MCA_btl:-self,vader,tcp}\"";
        if (r.MpiNetwork is { } network)
            yield return $"export OMPI_MCA_btl_tcp_if_include={Quote(network)} OMPI_MCA_oob_tcp_if_include={Quote(network)}";
    }

    static IEnumerable<string> SrunPrefix(Resources r)
    {
        yield return "srun";
        yield return "--mpi=pmix";
        // Since Slurm 22.05 srun no longer inherits --cpus-per-task from the allocation.
        if (r.Cpus is int cpus) yield return $"--cpus-per-task={cpus}";
    }

    /// <summary>The `#SBATCH` options of the resources, in a fixed order.</summary>
    public static IEnumerable<string> Options(Resources r)
    {
        foreach (var (name, value) in TextSettings(r))
            if (value is not null && value.IndexOfAny(['\n', '\r']) >= 0) throw new SlurmException($"slurm setting {name} holds a line break: {value.ReplaceLineEndings(" ")}");
        if (r.Partition is not null) yield return $"--partition={r.Partition}";
        if (r.TimeMinutes is int time) yield return $"--time={time}";
        if (r.Nodes is int nodes) yield return $"--nodes={nodes}";
        if (r.TasksPerNode is int perNode) yield return $"--ntasks-per-node={perNode}";
        else yield return $"--ntasks={r.Tasks}";
        if (r.Cpus is int cpus) yield return $"--cpus-per-task={cpus}";
        if (r.MemoryGb is int mem) yield return $"--mem={mem}G";
        if (r.Gpus is int gpus) yield return $"--gpus-per-task={gpus}";
        if (r.Gres is not null) yield return $"--gres={r.Gres}";
        if (r.Constraint is not null) yield return $"--constraint={r.Constraint}";
        if (r.Qos is not null) yield return $"--qos={r.Qos}";
        if (r.Account is not null) yield return $"--account={r.Account}";
        if (r.Exclude is not null) yield return $"--exclude={r.Exclude}";
        if (r.Comment is not null) yield return $"--comment=\"{r.Comment.Replace("\"", "'")}\"";
    }

    static IEnumerable<(string, string?)> TextSettings(Resources r) =>
        [("partition", r.Partition), ("gres", r.Gres), ("constraint", r.Constraint), ("qos", r.Qos), ("account", r.Account),
         ("exclude", r.Exclude), ("comment", r.Comment), ("mpi_network", r.MpiNetwork), .. r.Sbatch.Select(l => ("sbatch", (string?)l))];

    /// <summary>A word for bash: single quotes, with each ' written as '\''.</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
