using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loom.IO;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// The worker's side of requeueing, for the trainer: Slurm sends USR1 `grace` seconds before the time limit
/// (`--signal=B:USR1@grace`, forwarded by the batch script) or when the job is preempted. This class traps
/// it and raises <see cref="StopRequested"/>; the trainer polls the flag after each step, writes a checkpoint,
/// and calls <see cref="Finish"/>, which decides by Dora's (submitit's) rule whether to requeue and runs
/// `scontrol requeue $SLURM_JOB_ID`. Slurm then puts the same job id back in the queue; it resumes from
/// the checkpoint. .NET's <see cref="PosixSignalRegistration"/> accepts a raw signal number on Linux
/// (checked with .NET 10: SIGUSR1 = 10 is delivered to the handler), so no native helper is needed.
/// </summary>
public sealed class SlurmRequeue : IDisposable
{
    /// <summary>Dora's `max_num_timeout`: how many time-outs an XP may requeue from before it is left to end.</summary>
    public const int DefaultMaxNumTimeout = 20;
    /// <summary>The file in the state folder that counts time-outs across requeues (the process does not survive them).</summary>
    public const string StateFile = "slurm_requeue.json";
    const int SIGUSR1 = 10;

    readonly PosixSignalRegistration registration;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly string stateFolder;
    readonly IReadOnlyDictionary<string, string?> env;
    volatile bool stop;

    /// <summary>Set once USR1 arrived: finish the current step, checkpoint, then call <see cref="Finish"/>.</summary>
    public bool StopRequested => stop;

    /// <summary>The job's Slurm id (`SLURM_JOB_ID`, an array member's own id).</summary>
    public string JobId { get; }

    /// <summary>Runs `scontrol`; replaceable for the tests of the rule.</summary>
    public SlurmCommands Commands { get; init; } = new();

    SlurmRequeue(string stateFolder, IReadOnlyDictionary<string, string?> env)
    {
        this.stateFolder = stateFolder;
        this.env = env;
        JobId = env["SLURM_JOB_ID"]!;
        registration = PosixSignalRegistration.Create((PosixSignal)SIGUSR1, context =>
        {
            context.Cancel = true; // the default action of USR1 would kill the process
            stop = true;
        });
    }

    /// <summary>
    /// Traps USR1 when this process runs inside a Slurm job (SLURM_JOB_ID is set); null elsewhere (a local
    /// job or `loom train`), so that the trainer's code reads `requeue?.StopRequested == true`.
    /// <paramref name="stateFolder"/> keeps the time-out count (the XP folder).
    /// </summary>
    public static SlurmRequeue? Install(string stateFolder)
    {
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        return env.GetValueOrDefault("SLURM_JOB_ID") is { Length: > 0 } ? new SlurmRequeue(stateFolder, env) : null;
    }

    /// <summary>What <see cref="Finish"/> decided and why.</summary>
    public sealed record Decision(bool Requeue, bool TimedOut, int TimeoutsLeft, string Reason);

    /// <summary>
    /// Dora's rule (submitit's `has_timed_out`): the job timed out if it ran at least
    /// min(0.8 × limit, limit − 10 min), else it was preempted. A preempted job is always requeued; a timed-out
    /// one while fewer than `max_num_timeout` time-outs were counted; only rank 0 requeues.
    /// </summary>
    public static Decision Decide(TimeSpan elapsed, TimeSpan? limit, int timeoutsSoFar, int maxNumTimeout, int rank)
    {
        bool timedOut = limit is TimeSpan l && elapsed >= TimeSpan.FromTicks(Math.Min((long)(l.Ticks * 0.8), (l - TimeSpan.FromMinutes(10)).Ticks));
        int left = maxNumTimeout - timeoutsSoFar - (timedOut ? 1 : 0);
        string ran = $"ran {elapsed.TotalMinutes:0.#} of {(limit is TimeSpan t ? $"{t.TotalMinutes:0.#}" : "unlimited")} minutes";
        if (rank != 0) return new(false, timedOut, left, $"rank {rank}: only rank 0 requeues");
        if (left < 0) return new(false, timedOut, left, $"timed out {timeoutsSoFar + 1} times (max_num_timeout={maxNumTimeout}); {ran}");
        return new(true, timedOut, left, timedOut ? $"timed out ({ran})" : $"preempted ({ran})");
    }

    /// <summary>
    /// After the checkpoint: decides (<see cref="Decide"/>), counts a time-out, and requeues the job. Returns the
    /// decision; the caller then exits (non-zero when not requeued, so that the XP does not look COMPLETED).
    /// </summary>
    public Decision Finish(TextWriter? log = null)
    {
        int rank = int.TryParse(env.GetValueOrDefault("SLURM_PROCID"), out var r) ? r : 0;
        int max = int.TryParse(env.GetValueOrDefault("LOOM_SLURM_MAX_NUM_TIMEOUT"), out var m) ? m : DefaultMaxNumTimeout;
        string statePath = Path.Combine(stateFolder, StateFile);
        int timeouts = ReadTimeouts(statePath);
        var decision = Decide(clock.Elapsed, TimeLimit(), timeouts, max, rank);
        if (decision.TimedOut && rank == 0) AtomicFile.WriteAllText(statePath, new JsonObject { ["timeouts"] = timeouts + 1 }.ToJsonString());
        log?.WriteLine($"slurm: USR1 on job {JobId}: {decision.Reason}; {(decision.Requeue ? "requeueing" : "not requeueing")}");
        if (decision.Requeue) Commands.Run("scontrol", ["requeue", JobId]);
        return decision;
    }

    /// <summary>The job's time limit: from the batch script (`LOOM_SLURM_TIME_LIMIT_MIN`), else from `scontrol show job`.</summary>
    TimeSpan? TimeLimit()
    {
        if (int.TryParse(env.GetValueOrDefault("LOOM_SLURM_TIME_LIMIT_MIN"), out var minutes)) return TimeSpan.FromMinutes(minutes);
        var shown = Commands.Run("scontrol", ["-o", "show", "job", JobId], check: false);
        var field = shown.Out.Split(' ').FirstOrDefault(f => f.StartsWith("TimeLimit="));
        return field is null ? null : ParseDuration(field["TimeLimit=".Length..]);
    }

    /// <summary>Slurm's durations: `UNLIMITED`, `MM:SS`, `HH:MM:SS`, `D-HH:MM:SS`.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (text is "UNLIMITED" or "INFINITE" or "" || text.Contains("Partition")) return null;
        int days = 0;
        if (text.Split('-', 2) is [var d, var rest]) { days = int.Parse(d); text = rest; }
        var parts = text.Split(':').Select(int.Parse).ToArray();
        var (h, m, s) = parts.Length switch { 3 => (parts[0], parts[1], parts[2]), 2 => (0, parts[0], parts[1]), _ => (0, parts[0], 0) };
        return new TimeSpan(days, h, m, s);
    }

    static int ReadTimeouts(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path))?["timeouts"]?.GetValue<int>() ?? 0; }
        catch (Exception e) when (e is IOException or JsonException) { return 0; }
    }

    public void Dispose() => registration.Dispose();
}
