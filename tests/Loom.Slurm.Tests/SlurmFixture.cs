using Loom.Scheduling;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>
/// One test's outputs folder and a SlurmScheduler that runs the test worker. Disposing cancels whatever
/// the test left in the queue, so that tests do not eat each other's cores.
/// </summary>
public sealed class SlurmFixture : IDisposable
{
    public static readonly string Configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
    /// <summary>The worker's build output (tests/Loom.Slurm.Tests/Worker/bin/CONFIG/net10.0).</summary>
    public static readonly string WorkerBuild = Path.Combine(SlurmCluster.RepoRoot, "tests/Loom.Slurm.Tests/Worker/bin", Configuration, "net10.0");

    public string Dir { get; } = Directory.CreateTempSubdirectory("loom-slurm-test-").FullName;
    public string Outputs => Path.Combine(Dir, "out");
    public SlurmCommands Commands { get; } = new();
    public SlurmScheduler Scheduler { get; }

    public SlurmFixture(Func<SlurmOptions, SlurmOptions>? configure = null)
    {
        if (!File.Exists(Path.Combine(WorkerBuild, "SlurmTestWorker"))) throw new InvalidOperationException($"{WorkerBuild}: the worker is not built");
        var options = new SlurmOptions([Path.Combine(WorkerBuild, "SlurmTestWorker")]) { Commands = Commands, WorkingDirectory = Dir };
        Scheduler = new SlurmScheduler(Outputs, configure?.Invoke(options) ?? options);
    }

    /// <summary>A request for an XP named by its settings (the worker reads them from the store).</summary>
    public JobRequest Request(string name, Resources? resources = null, params string[] argv) =>
        new(name, argv, Dir, Outputs, Path.Combine(Outputs, "xps", name), resources ?? new Resources(Cpus: 1));

    public JobInfo Job(string sig) => Scheduler.Latest([sig])[sig];

    /// <summary>Polls until the XP's job is in <paramref name="state"/>; fails with the states seen otherwise.</summary>
    public JobInfo WaitState(string sig, JobState state, int seconds = 60, Action<JobInfo>? onEach = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var seen = new List<string>();
        while (true)
        {
            var job = Job(sig);
            if (seen.Count == 0 || seen[^1] != job.State.Name()) seen.Add(job.State.Name());
            if (job.State == state) return job;
            if (!job.State.IsActive() || DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{sig}: waited for {state}, saw {string.Join(" -> ", seen)} ({job.Outcome}); log: {Log(sig)}");
            onEach?.Invoke(job);
            Thread.Sleep(150);
        }
    }

    public string Folder(string sig) => Path.Combine(Outputs, "xps", sig);
    public string[] Runs(string sig) => File.Exists(Path.Combine(Folder(sig), "runs.txt")) ? File.ReadAllLines(Path.Combine(Folder(sig), "runs.txt")) : [];
    public string Log(string sig) => File.Exists(Path.Combine(Folder(sig), "job.log")) ? File.ReadAllText(Path.Combine(Folder(sig), "job.log")) : "(no job.log)";

    public static string Scontrol(params string[] args)
    {
        var r = new SlurmCommands().Run("scontrol", args);
        return r.Out;
    }

    public void Dispose()
    {
        try
        {
            var active = Scheduler.Store.Active().Where(r => r.SlurmId is not null).Select(r => r.SlurmId!).ToList();
            if (active.Count > 0) new SlurmCommands().Run("scancel", active, check: false);
        }
        catch (Exception) { } // best effort
        Scheduler.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
