using Loom.Config;

namespace Loom.Training;

/// <summary>
/// What a setting asks of this machine, decided against what it has before anything runs (docs/configuration.md,
/// "Resources beyond the machine"). Counts of threads are clamped to the cores with a one-line warning: they say how
/// an XP runs, not what it computes (excluded from its signature), and a config written for a bigger machine should
/// still run here — threads beyond the cores only spin-wait on each other (threads=1000 on 2 cores ran 15× slower;
/// threads=100000 never started). A process count is refused: each rank takes its share of the global batch, so a
/// clamp would change the computation.
/// </summary>
public static class MachineLimits
{
    /// <summary>The cores this process may use (honours CPU affinity and cgroup quotas).</summary>
    public static int Cores => Environment.ProcessorCount;

    /// <summary>A thread count above <paramref name="cores"/>: the cores, with the warning that says so.</summary>
    public static (int Value, string? Warning) ClampThreads(string key, int requested, int cores)
    {
        if (requested <= cores) return (requested, null);
        // libtorch's count sets the order of its sums (the last digits); the loader's workers change no number.
        string digits = key == "threads" ? "; the last digits of a run follow the thread count" : "";
        return (cores, $"{key}={requested}: more than the {cores} cores of this machine; {cores} are used (threads beyond the cores only wait on each other{digits})");
    }

    /// <summary>Ranks per core beyond which `-d N` on one machine is refused rather than oversubscribed.</summary>
    public const int MaxRanksPerCore = 4;

    /// <summary>
    /// `-d N` started on this machine: up to the cores, silently; up to <see cref="MaxRanksPerCore"/>× the cores, one
    /// warning on stderr (Open MPI runs them oversubscribed: slower, the same result, as the data-parallel tests use);
    /// beyond that, refused — each rank loads libtorch and the data, and they wait on each other at every all-reduce.
    /// A clamp is never right here: each rank takes its share of the global batch.
    /// </summary>
    public static void CheckRanks(int ranks, int cores)
    {
        if (ranks > MaxRanksPerCore * cores)
            throw new ConfigException($"-d {ranks}: more than {MaxRanksPerCore} processes per core on the {cores} cores of this machine (use -d {cores} or fewer, or run on a cluster through Slurm)");
        if (ranks > cores)
            Console.Error.WriteLine($"loom: warning: -d {ranks}: more processes than the {cores} cores of this machine; they run oversubscribed (slower, the same result)");
    }

    /// <summary>
    /// `loom grid --jobs N` above the cores: one warning, then N as asked. Not clamped: the cap is the user's choice
    /// for XPs that wait on I/O or sleep, and the XPs' results do not depend on it; XPs that compute share the cores.
    /// </summary>
    public static string? JobsWarning(int jobs, int cores) => jobs <= cores ? null
        : $"--jobs {jobs}: more XPs at once than the {cores} cores of this machine; XPs that compute share the cores (each slower, the same results)";

    /// <summary>
    /// The settings that the data set turned out smaller than (known once the data is read, so `train` says them and
    /// `info`, which reads no data, cannot): each a one-line warning; the run goes on with what there is.
    /// </summary>
    public static IEnumerable<string> DataWarnings(int batchSize, int trainSamples, long? limit, int limitedSamples)
    {
        if (limit is long l && l > limitedSamples)
            yield return $"data.limit={l}: the data set has {limitedSamples} samples to train on; all {limitedSamples} are used";
        if (batchSize > trainSamples)
            yield return $"batch_size={batchSize}: more than the {trainSamples} training samples; every epoch is one batch of {trainSamples}";
    }
}
