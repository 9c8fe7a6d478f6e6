using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Loom.Scheduling;

/// <summary>
/// The local scheduler's durable queue: one SQLite file per outputs folder. Every change is one
/// transaction (BEGIN IMMEDIATE, synchronous=FULL), so a `loom` process killed at any instant leaves either
/// the old state or the new one. A partial unique index makes "one active job per XP" a property of the
/// database itself, whatever the number of `loom` commands racing to submit.
/// </summary>
public sealed class JobStore : IDisposable
{
    const string Columns = "id, sig, argv, conf, outputs, folder, cpus, memory_gb, time_min, tasks, state, pid, pid_start, exit_code, signal, reason, launched";
    readonly SqliteConnection db;
    readonly SqliteDamage damage;

    public string Path { get; }

    public JobStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        damage = new SqliteDamage(Path, "move it aside (the queue then starts empty: `loom grid` resubmits what is not done), or restore it");
        db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, DefaultTimeout = 60, Pooling = false }.ToString());
        try { Initialize(); }
        catch (SqliteException e) when (SqliteDamage.Is(e))
        {
            db.Dispose();
            throw damage.Named(e);
        }
    }

    // Every statement goes through Guard: a damaged file, at Open or at the first read of a damaged page, is one line.
    T Guard<T>(Func<T> statement) => damage.Guard(statement);

    SqliteTransaction Begin() => Guard(db.BeginTransaction);

    void Initialize()
    {
        db.Open();
        Exec("PRAGMA busy_timeout=60000; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Exec("""
            CREATE TABLE IF NOT EXISTS jobs(
              id INTEGER PRIMARY KEY AUTOINCREMENT, sig TEXT NOT NULL, argv TEXT NOT NULL, conf TEXT NOT NULL,
              outputs TEXT NOT NULL, folder TEXT NOT NULL, cpus INTEGER NOT NULL, memory_gb INTEGER, time_min INTEGER,
              tasks INTEGER NOT NULL, state TEXT NOT NULL, pid INTEGER, pid_start INTEGER, exit_code INTEGER,
              signal INTEGER, reason TEXT, submitted REAL NOT NULL, launched REAL, ended REAL);
            CREATE UNIQUE INDEX IF NOT EXISTS one_active_job ON jobs(sig) WHERE state IN ('PENDING', 'RUNNING');
            CREATE INDEX IF NOT EXISTS jobs_by_sig ON jobs(sig, id);
            CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs(state, id);
            CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
    }

    static double Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Inserts a PENDING job for each request without an active one; returns each XP's active job.</summary>
    public IReadOnlyList<JobRow> Submit(IReadOnlyList<JobRequest> requests)
    {
        using var tx = Begin();
        using var insert = Command("""
            INSERT OR IGNORE INTO jobs(sig, argv, conf, outputs, folder, cpus, memory_gb, time_min, tasks, state, submitted)
            VALUES ($sig, $argv, $conf, $outputs, $folder, $cpus, $mem, $time, $tasks, 'PENDING', $now)
            """, tx);
        foreach (var r in requests)
        {
            insert.Parameters.Clear();
            Bind(insert, ("$sig", r.Sig), ("$argv", JsonSerializer.Serialize(r.Argv)), ("$conf", r.ConfDir), ("$outputs", r.OutputsRoot),
                ("$folder", r.Folder), ("$cpus", r.Resources.Cpus ?? 1), ("$mem", r.Resources.MemoryGb), ("$time", r.Resources.TimeMinutes),
                ("$tasks", r.Resources.Tasks), ("$now", Now));
            insert.ExecuteNonQuery();
        }
        var active = Query($"SELECT {Columns} FROM jobs WHERE state IN ('PENDING', 'RUNNING')", tx).ToDictionary(j => j.Request.Sig);
        Guard(() => { tx.Commit(); return 0; });
        return requests.Select(r => active[r.Sig]).ToList();
    }

    /// <summary>The latest job of each of <paramref name="sigs"/> that has one.</summary>
    public IReadOnlyDictionary<string, JobRow> Latest(IEnumerable<string> sigs)
    {
        var wanted = sigs.ToHashSet();
        // One scan beats a thousand lookups; the table holds one row per submission, not per epoch.
        return Query($"SELECT {Columns} FROM jobs WHERE id IN (SELECT MAX(id) FROM jobs GROUP BY sig)")
            .Where(j => wanted.Contains(j.Request.Sig)).ToDictionary(j => j.Request.Sig);
    }

    public JobRow? Get(long id) => Query($"SELECT {Columns} FROM jobs WHERE id = $id", null, ("$id", id)).FirstOrDefault();

    public IReadOnlyList<JobRow> Active() => Query($"SELECT {Columns} FROM jobs WHERE state IN ('PENDING', 'RUNNING') ORDER BY id").ToList();

    /// <summary>Marks active jobs CANCELLED; returns those that were running (their processes must be killed).</summary>
    public IReadOnlyList<JobRow> Cancel(IEnumerable<long> ids)
    {
        using var tx = Begin();
        var killed = new List<JobRow>();
        foreach (var id in ids)
        {
            var row = Query($"SELECT {Columns} FROM jobs WHERE id = $id", tx, ("$id", id)).FirstOrDefault();
            if (row is null || !row.State.IsActive()) continue;
            Execute("UPDATE jobs SET state = 'CANCELLED', ended = $now, reason = 'cancelled' WHERE id = $id", tx, ("$id", id), ("$now", Now));
            if (row.State == JobState.Running) killed.Add(row);
        }
        Guard(() => { tx.Commit(); return 0; });
        return killed;
    }

    /// <summary>PENDING → RUNNING, before the worker is spawned; false when someone cancelled it meanwhile.</summary>
    public bool Claim(long id) =>
        Execute("UPDATE jobs SET state = 'RUNNING', launched = $now WHERE id = $id AND state = 'PENDING'", null, ("$id", id), ("$now", Now)) == 1;

    /// <summary>Records the worker process (written by the scheduler and again by the worker itself).</summary>
    public void SetProcess(long id, int pid, long? pidStart) =>
        Execute("UPDATE jobs SET pid = $pid, pid_start = $start WHERE id = $id AND state = 'RUNNING'", null, ("$id", id), ("$pid", pid), ("$start", pidStart));

    /// <summary>RUNNING → a final state; the first writer wins (a cancel, the worker itself, or the scheduler).</summary>
    public bool Finish(long id, JobState state, int? exitCode, int? signal, string? reason) =>
        Execute("UPDATE jobs SET state = $state, exit_code = $code, signal = $signal, reason = $reason, ended = $now WHERE id = $id AND state = 'RUNNING'",
            null, ("$id", id), ("$state", state.Name()), ("$code", exitCode), ("$signal", signal), ("$reason", reason), ("$now", Now)) == 1;

    /// <summary>A claimed job whose worker never showed up goes back to the queue (its scheduler died in between).</summary>
    public bool Requeue(long id) =>
        Execute("UPDATE jobs SET state = 'PENDING', launched = NULL WHERE id = $id AND state = 'RUNNING' AND pid IS NULL", null, ("$id", id)) == 1;

    public int? MaxJobs
    {
        get => Query<int?>("SELECT value FROM settings WHERE key = 'max_jobs'", r => int.Parse(r.GetString(0))).FirstOrDefault();
        set => Execute(value is int v ? "INSERT OR REPLACE INTO settings(key, value) VALUES ('max_jobs', $v)" : "DELETE FROM settings WHERE key = 'max_jobs'",
            null, ("$v", value?.ToString()));
    }

    /// <summary>
    /// Runs <paramref name="release"/> inside a write transaction if no job is active, and says whether it did.
    /// The scheduler releases its liveness lock there: a submitter that commits after this sees no live
    /// scheduler and starts one; one that committed before makes the queue non-empty and the scheduler stays.
    /// </summary>
    public bool IfIdle(Action release)
    {
        using var tx = Begin();
        bool idle = Query<long>("SELECT COUNT(*) FROM jobs WHERE state IN ('PENDING', 'RUNNING')", r => r.GetInt64(0), tx).Single() == 0;
        if (idle) release();
        Guard(() => { tx.Commit(); return 0; });
        return idle;
    }

    IEnumerable<JobRow> Query(string sql, SqliteTransaction? tx = null, params (string, object?)[] args) => Query(sql, Read, tx, args);

    List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, SqliteTransaction? tx = null, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx);
        Bind(cmd, args);
        return Guard(() =>
        {
            using var reader = cmd.ExecuteReader();
            var list = new List<T>();
            while (reader.Read()) list.Add(read(reader));
            return list;
        });
    }

    static JobRow Read(SqliteDataReader r)
    {
        int? Int(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
        var argv = JsonSerializer.Deserialize<List<string>>(r.GetString(2))!;
        var resources = new Resources(r.GetInt32(6), Int(7), Int(8), r.GetInt32(9));
        var request = new JobRequest(r.GetString(1), argv, r.GetString(3), r.GetString(4), r.GetString(5), resources);
        return new JobRow(r.GetInt64(0), request, JobStates.Parse(r.GetString(10)), Int(11), r.IsDBNull(12) ? null : r.GetInt64(12),
            Int(13), Int(14), r.IsDBNull(15) ? null : r.GetString(15), r.IsDBNull(16) ? null : r.GetDouble(16));
    }

    int Execute(string sql, SqliteTransaction? tx, params (string, object?)[] args)
    {
        using var cmd = Command(sql, tx);
        Bind(cmd, args);
        return Guard(cmd.ExecuteNonQuery);
    }

    void Exec(string sql) { using var cmd = Command(sql, null); Guard(cmd.ExecuteNonQuery); }

    SqliteCommand Command(string sql, SqliteTransaction? tx)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    static void Bind(SqliteCommand cmd, params (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }

    public void Dispose() => db.Dispose();
}
