namespace Loom.IO;

/// <summary>
/// Named points where the crash-safety tests kill the process for real. With `LOOM_TEST_ONLY_SIGKILL_AT=name`
/// (or `name@N`, the N-th time the point is reached) the process sends itself SIGKILL there, exactly as an
/// out-of-memory kill or a preemption would. With `LOOM_TEST_ONLY_SIGKILL_RANK=R` only data-parallel rank R dies
/// (the rank as mpirun or srun numbers it). Without the variable a point costs one null check.
/// <para>The names say what they do and that they are for tests: the earlier `LOOM_CRASH_AT` was short and
/// generic enough to be left in a user's shell or job script and kill real runs; it is ignored now.</para>
/// </summary>
public static class CrashPoint
{
    /// <summary>The variable naming the point (and occurrence) where the process kills itself.</summary>
    public const string Variable = "LOOM_TEST_ONLY_SIGKILL_AT";
    /// <summary>The variable restricting the kill to one data-parallel rank.</summary>
    public const string RankVariable = "LOOM_TEST_ONLY_SIGKILL_RANK";

    static readonly string? Spec = OnThisRank() ? Environment.GetEnvironmentVariable(Variable) : null;

    static bool OnThisRank()
    {
        string? wanted = Environment.GetEnvironmentVariable(RankVariable);
        if (wanted is null) return true;
        string? rank = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") ?? Environment.GetEnvironmentVariable("SLURM_PROCID");
        return rank == wanted;
    }
    static readonly Dictionary<string, int> Counts = [];

    public static void Hit(string name)
    {
        if (Spec is null) return;
        string target = Spec;
        int occurrence = 1;
        int at = Spec.IndexOf('@');
        if (at >= 0)
        {
            target = Spec[..at];
            occurrence = int.Parse(Spec[(at + 1)..]);
        }
        if (target != name) return;
        lock (Counts)
        {
            Counts[name] = Counts.GetValueOrDefault(name) + 1;
            if (Counts[name] != occurrence) return;
        }
        Console.Error.Flush();
        System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL on Unix: no finally blocks, no flush
    }
}
