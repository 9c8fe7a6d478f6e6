using Loom.Experiments;
using Loom.IO;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The Slurm backend behind <see cref="IScheduler"/>. Submission reserves the XPs in the store first (an XP
/// with an active job is never submitted again, see <see cref="SlurmStore"/>), then calls `sbatch` once per
/// group of XPs with the same resources (a job array, members `ID_i`), holding a lock per submission until
/// Slurm's id is recorded. A submission whose `loom` died between the two is an orphan: the next command
/// finds its job by name (`loom-TOKEN`) or by what its batch script wrote, or frees its XPs
/// (<see cref="RecoverOrphans"/>). States come from one `squeue` call per refresh, never from `sacct`
/// (absent without accounting); jobs Slurm has forgotten are read from the jobcomp file or the exit file.
/// </summary>
public sealed class SlurmScheduler(string outputsRoot, SlurmOptions options) : IScheduler, IDisposable
{
    public SlurmPaths Paths { get; } = new(Path.GetFullPath(outputsRoot));
    SlurmStore? store;
    public SlurmStore Store => store ??= new SlurmStore(Paths.Database);
    SlurmCommands Slurm => options.Commands;
    readonly SlurmStateReader states = new(options.Commands, new SlurmPaths(Path.GetFullPath(outputsRoot)));

    public IReadOnlyList<JobInfo> Submit(IReadOnlyList<JobRequest> requests)
    {
        if (requests.Count == 0) return [];
        RecoverOrphans();
        var code = options.AppDirectory is null ? null : CodeSnapshot.Freeze(options.AppDirectory, Paths.OutputsRoot);
        var command = code?.Rebase(options.AppCommand) ?? options.AppCommand;
        var locks = new Dictionary<string, IDisposable>();
        try
        {
            var rows = Store.Reserve(requests.DistinctBy(r => r.Sig).ToList(), fresh => Plan(fresh, code?.Hash, locks));
            var groups = rows.Where(r => r.Reserved).Select(r => r.Row).GroupBy(r => r.Token).Select(g => g.OrderBy(r => r.Task).ToList()).ToList();
            SubmitGroups(groups, command);
        }
        finally
        {
            foreach (var l in locks.Values) l.Dispose();
        }
        var latest = Store.Latest(requests.Select(r => r.Sig));
        return requests.Select(r => latest[r.Sig].Info).ToList();
    }

    /// <summary>Inside the reservation: one token per group of XPs that share resources, each locked before it is committed.</summary>
    List<(JobRequest, string, int?, string?)> Plan(IReadOnlyList<JobRequest> fresh, string? code, Dictionary<string, IDisposable> locks)
    {
        var groups = options.UseArrays ? fresh.GroupBy(r => r.Resources.Key).Select(g => g.ToList()) : fresh.Select(r => new List<JobRequest> { r });
        var items = new List<(JobRequest, string, int?, string?)>();
        foreach (var group in groups)
        {
            string token = Guid.NewGuid().ToString("N")[..12];
            locks[token] = SubmitLock.TryAcquire(Paths.SubmitLock(token)) ?? throw new SlurmException($"cannot lock {Paths.SubmitLock(token)}");
            for (int i = 0; i < group.Count; i++) items.Add((group[i], token, group.Count > 1 ? i : null, code));
        }
        return items;
    }

    /// <summary>
    /// Writes each group's batch script and runs their `sbatch` calls a few at a time (each is a round trip to
    /// slurmctld: ~35 ms here, so 100 XPs without arrays would take 3.5 s one by one); then records the ids,
    /// and frees the XPs of the submissions Slurm refused, in one transaction. The first refusal is rethrown.
    /// </summary>
    void SubmitGroups(IReadOnlyList<List<SlurmJobRow>> groups, IReadOnlyList<string> command)
    {
        var answers = new (string Token, string? Id, Exception? Error)[groups.Count];
        Parallel.For(0, groups.Count, new ParallelOptions { MaxDegreeOfParallelism = SbatchParallelism }, i =>
        {
            var rows = groups[i];
            string token = rows[0].Token;
            try
            {
                var members = rows.Select(r => new SlurmScript.Member(r.Request.Folder, [.. command, .. options.WorkerArgs(r.Request)])).ToList();
                string script = SlurmScript.Build(Paths, token, rows[0].Request.Resources, members, array: rows[0].Task is not null,
                    options.SignalGraceSeconds, options.WorkingDirectory ?? Environment.CurrentDirectory);
                AtomicFile.WriteAllText(Paths.Script(token), script);
                foreach (var row in rows) WriteArgv(row.Request);
                var answer = Slurm.Run("sbatch", ["--parsable", Paths.Script(token)]);
                answers[i] = (token, answer.Out.Trim().Split(';')[0], null); // --parsable: "ID" or "ID;cluster"
            }
            catch (Exception e) { answers[i] = (token, null, e); }
        });
        Store.Batch(() =>
        {
            foreach (var (token, id, _) in answers)
                if (id is not null) Store.Submitted(token, id);
                else Store.Abandon(token); // sbatch refused (or never ran): the XPs are free to be submitted again
        });
        if (answers.FirstOrDefault(a => a.Error is not null).Error is { } error) throw error;
    }

    /// <summary>
    /// The XP's `.argv.json` (Dora's format) as this request has it: `run -f SIG` rebuilds an XP from it, so the
    /// worker needs nothing from this store to find its XP. Rewritten when an earlier submission left other
    /// overrides of the same signature: they may differ in excluded keys that the run must see, such as a
    /// search's rung (`++loom.stop_after`, docs/search.md), as the local scheduler's worker sees its request's.
    /// </summary>
    static void WriteArgv(JobRequest request)
    {
        string path = Path.Combine(request.Folder, Xp.ArgvFile);
        string argv = PyJson.Dumps(request.Argv);
        if (!File.Exists(path) || File.ReadAllText(path) != argv) AtomicFile.WriteAllText(path, argv);
    }

    /// <summary>How many `sbatch` calls run at once when arrays are off.</summary>
    public int SbatchParallelism { get; init; } = 8;

    public IReadOnlyDictionary<string, JobInfo> Latest(IEnumerable<string> sigs)
    {
        var wanted = sigs.ToList();
        RecoverOrphans();
        Refresh();
        return Store.Latest(wanted).ToDictionary(kv => kv.Key, kv => kv.Value.Info);
    }

    /// <summary>
    /// Brings every active job's state up to date with one `squeue` (plus one `scontrol` per job that just
    /// failed, for its exit code); Slurm is asked first, so the store's write lock never waits on it.
    /// </summary>
    public void Refresh()
    {
        var active = Store.Active().Where(r => r.SlurmId is not null).ToList();
        if (active.Count == 0) return;
        var updates = states.Read(active);
        if (updates.Count > 0) Store.Batch(() => { foreach (var u in updates) Store.Update(u.Id, u.State, u.ExitCode, u.Signal, u.Reason); });
    }

    public void Cancel(IEnumerable<string> jobIds)
    {
        var ids = jobIds.Where(id => id != "-").Distinct().ToList();
        if (ids.Count == 0) return;
        Slurm.Run("scancel", ids);
        foreach (var row in Store.BySlurmId(ids)) Store.Update(row.Id, JobState.Cancelled, null, null, "cancelled");
    }

    /// <summary>
    /// Submissions whose `loom` died between reserving the XPs and recording Slurm's id (their lock is free):
    /// found in Slurm by job name, or by the batch script's `started` file, they get their id; otherwise
    /// `sbatch` never ran and the XPs are freed. Returns how many submissions were settled.
    /// </summary>
    public int RecoverOrphans()
    {
        int settled = 0;
        foreach (var token in Store.Active().Where(r => r.IsSubmitting).Select(r => r.Token).Distinct())
        {
            using var held = DaemonLock.TryAcquire(Paths.SubmitLock(token));
            if (held is null) continue; // its submitter is alive and still at it
            var named = Slurm.Run("squeue", ["-h", "-t", "all", "--name", SlurmPaths.JobName(token), "-o", "%i"], check: false);
            if (named.Code != 0) continue; // Slurm unreachable: settle it later rather than free XPs that may have a job
            var found = named.Out
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(i => i.Split('_')[0]).FirstOrDefault();
            found ??= File.Exists(Paths.Started(token)) ? File.ReadLines(Paths.Started(token)).First().Split(' ')[1] : null;
            if (found is not null) Store.Submitted(token, found); else Store.Abandon(token);
            settled++;
        }
        return settled;
    }

    /// <summary>Removes frozen code copies that no active Slurm job runs (see <see cref="CodeSnapshot.Collect"/>).</summary>
    public IReadOnlyList<string> CollectCode(TimeSpan? grace = null) =>
        CodeSnapshot.Collect(Paths.OutputsRoot, Store.Active().Select(r => r.Code).OfType<string>(), grace);

    /// <summary>The latest Slurm job of an XP, read by the worker (`run -f SIG`) to rebuild its XP; null if none.</summary>
    public static SlurmJobRow? Find(string outputsRoot, string sig)
    {
        var paths = new SlurmPaths(Path.GetFullPath(outputsRoot));
        if (!File.Exists(paths.Database)) return null;
        using var store = new SlurmStore(paths.Database);
        return store.Latest([sig]).GetValueOrDefault(sig);
    }

    public void Dispose() => store?.Dispose();
}
