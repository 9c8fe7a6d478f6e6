using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The Slurm scheduler's memory, `&lt;outputs&gt;/.loom/slurm.db`: which job runs which XP. A store of its own
/// rather than a column in the local JobStore: the local store's rows carry pids and a claim protocol that
/// Slurm jobs do not have, while these carry Slurm ids, array members and a submission token. The guarantee
/// is the same: every change is one transaction and a partial unique index allows one active job
/// (SUBMITTING, PENDING or RUNNING) per XP, whatever the number of `loom` commands submitting at once.
/// </summary>
public sealed class SlurmStore : IDisposable
{
    const string Columns = "id, sig, argv, conf, outputs, folder, resources, token, task, slurm_id, state, exit_code, signal, reason, code";
    const string ActiveStates = "('SUBMITTING', 'PENDING', 'RUNNING')";
    readonly SqliteConnection db;
    readonly SqliteDamage damage;

    public string Path { get; }

    public SlurmStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        // Forgetting slurm.db loses which Slurm job runs which XP: moved aside, `loom grid` would submit running XPs again.
        damage = new SqliteDamage(Path, "restore it, or cancel this grid's Slurm jobs (squeue, scancel) and move it aside (the next `loom grid` submits what is not done)");
        db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, DefaultTimeout = 60, Pooling = false }.ToString());
        try { Initialize(); }
        catch (SqliteException e) when (SqliteDamage.Is(e))
        {
            db.Dispose();
            throw damage.Named(e);
        }
    }

    void Initialize()
    {
        db.Open();
        Execute("PRAGMA busy_timeout=60000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", null);
        Execute($"""
            CREATE TABLE IF NOT EXISTS jobs(
              id INTEGER PRIMARY KEY AUTOINCREMENT, sig TEXT NOT NULL, argv TEXT NOT NULL, conf TEXT NOT NULL,
              outputs TEXT NOT NULL, folder TEXT NOT NULL, resources TEXT NOT NULL, token TEXT NOT NULL, task INTEGER,
              slurm_id TEXT, state TEXT NOT NULL, exit_code INTEGER, signal INTEGER, reason TEXT, code TEXT,
              submitted REAL NOT NULL, ended REAL);
            CREATE UNIQUE INDEX IF NOT EXISTS one_active_job ON jobs(sig) WHERE state IN {ActiveStates};
            CREATE INDEX IF NOT EXISTS jobs_by_sig ON jobs(sig, id);
            CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state, id);
            CREATE INDEX IF NOT EXISTS jobs_by_token ON jobs(token);
            """, null);
    }

    SqliteTransaction? batch;

    /// <summary>Runs <paramref name="body"/>'s changes in one transaction (one disk flush for a hundred updates).</summary>
    public void Batch(Action body)
    {
        using var tx = damage.Guard(db.BeginTransaction);
        batch = tx;
        try { body(); damage.Guard(tx.Commit); }
        finally { batch = null; }
    }

    static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>
    /// In one transaction: finds the requests whose XP has no active job, lets <paramref name="plan"/> give each
    /// its submission token, array index and code hash, and inserts them SUBMITTING. Returns, per request, the
    /// XP's active row and whether this call reserved it.
    /// </summary>
    public IReadOnlyList<(SlurmJobRow Row, bool Reserved)> Reserve(IReadOnlyList<JobRequest> requests,
        Func<IReadOnlyList<JobRequest>, IReadOnlyList<(JobRequest Request, string Token, int? Task, string? Code)>> plan)
    {
        using var tx = damage.Guard(db.BeginTransaction);
        var before = Query($"SELECT {Columns} FROM jobs WHERE state IN {ActiveStates}", tx).Select(r => r.Request.Sig).ToHashSet();
        var fresh = requests.Where(r => !before.Contains(r.Sig)).ToList();
        var tokens = new HashSet<string>();
        foreach (var (r, token, task, code) in fresh.Count == 0 ? [] : plan(fresh))
        {
            tokens.Add(token);
            Execute("""
                INSERT INTO jobs(sig, argv, conf, outputs, folder, resources, token, task, state, code, submitted)
                VALUES ($sig, $argv, $conf, $outputs, $folder, $res, $token, $task, 'SUBMITTING', $code, $now)
                """, tx, ("$sig", r.Sig), ("$argv", JsonSerializer.Serialize(r.Argv)), ("$conf", r.ConfDir), ("$outputs", r.OutputsRoot),
                ("$folder", r.Folder), ("$res", JsonSerializer.Serialize(r.Resources)), ("$token", token), ("$task", task), ("$code", code), ("$now", Now));
        }
        var active = Query($"SELECT {Columns} FROM jobs WHERE state IN {ActiveStates}", tx).ToDictionary(j => j.Request.Sig);
        damage.Guard(tx.Commit);
        return requests.Select(r => (active[r.Sig], tokens.Contains(active[r.Sig].Token))).ToList();
    }


    /// <summary>`sbatch` answered: the token's rows get their Slurm ids (`ID`, or `ID_TASK` for array members) and become PENDING.</summary>
    public void Submitted(string token, string slurmId) =>
        Execute("""
            UPDATE jobs SET state = 'PENDING', slurm_id = CASE WHEN task IS NULL THEN $id ELSE $id || '_' || task END
            WHERE token = $token AND state = 'SUBMITTING'
            """, null, ("$id", slurmId), ("$token", token));

    /// <summary>The submission never reached Slurm: its reserved rows go away, so that the XPs can be submitted again.</summary>
    public void Abandon(string token) =>
        Execute("DELETE FROM jobs WHERE token = $token AND state = 'SUBMITTING'", null, ("$token", token));

    /// <summary>Records what Slurm says of an active job; a final state is kept for good (the row leaves the active set).</summary>
    public void Update(long id, JobState state, int? exitCode = null, int? signal = null, string? reason = null) =>
        Execute($"""
            UPDATE jobs SET state = $state, exit_code = $code, signal = $signal, reason = $reason,
              ended = CASE WHEN $final THEN $now ELSE NULL END
            WHERE id = $id AND state IN ('PENDING', 'RUNNING')
            """, null, ("$id", id), ("$state", state.Name()), ("$code", exitCode), ("$signal", signal), ("$reason", reason),
            ("$final", !state.IsActive()), ("$now", Now));

    /// <summary>The latest job of each of <paramref name="sigs"/> that has one.</summary>
    public IReadOnlyDictionary<string, SlurmJobRow> Latest(IEnumerable<string> sigs)
    {
        var wanted = sigs.ToHashSet();
        return Query($"SELECT {Columns} FROM jobs WHERE id IN (SELECT MAX(id) FROM jobs GROUP BY sig)")
            .Where(j => wanted.Contains(j.Request.Sig)).ToDictionary(j => j.Request.Sig);
    }

    public IReadOnlyList<SlurmJobRow> Active() => Query($"SELECT {Columns} FROM jobs WHERE state IN {ActiveStates} ORDER BY id").ToList();

    public IReadOnlyList<SlurmJobRow> BySlurmId(IEnumerable<string> slurmIds)
    {
        var wanted = slurmIds.ToHashSet();
        return Query($"SELECT {Columns} FROM jobs WHERE slurm_id IS NOT NULL ORDER BY id").Where(j => wanted.Contains(j.SlurmId!)).ToList();
    }

    /// <summary>Every job row (for tests and `loom info`): ordered by id.</summary>
    public IReadOnlyList<SlurmJobRow> All() => Query($"SELECT {Columns} FROM jobs ORDER BY id").ToList();

    List<SlurmJobRow> Query(string sql, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx ?? batch, args);
        return damage.Guard(() => Read(cmd));
    }

    static List<SlurmJobRow> Read(SqliteCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var rows = new List<SlurmJobRow>();
        while (r.Read())
        {
            int? Int(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
            string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            var request = new JobRequest(r.GetString(1), JsonSerializer.Deserialize<List<string>>(r.GetString(2))!, r.GetString(3),
                r.GetString(4), r.GetString(5), JsonSerializer.Deserialize<Resources>(r.GetString(6))!);
            rows.Add(new SlurmJobRow(r.GetInt64(0), request, r.GetString(7), Int(8), Str(9), r.GetString(10), Int(11), Int(12), Str(13), Str(14)));
        }
        return rows;
    }

    int Execute(string sql, SqliteTransaction? tx, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx ?? batch, args);
        return damage.Guard(cmd.ExecuteNonQuery);
    }

    SqliteCommand Command(string sql, SqliteTransaction? tx, (string Name, object? Value)[] args)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public void Dispose() => db.Dispose();
}
