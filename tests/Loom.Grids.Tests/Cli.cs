using System.Diagnostics;
using Loom.Scheduling;
using Microsoft.Data.Sqlite;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // real trainings share 2 cores

namespace Loom.Grids.Tests;

/// <summary>
/// Runs the real `loom` executable (built by the project reference) in a temporary folder with its own
/// outputs, and reads the scheduler's store directly (never through LocalScheduler, which would start a
/// daemon from the test host). Disposing kills whatever the test left running.
/// </summary>
public sealed class Cli : IDisposable
{
    public static readonly string RepoRoot = global::Loom.TestSupport.SchedulerDaemons.RepoRoot();
    // The loom of this test build's configuration (bin/<Configuration>/net10.0): CI tests in Release.
    static readonly string Configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
    public static readonly string Loom = Path.Combine(RepoRoot, "src/Loom.Cli/bin", Configuration, "net10.0/loom");
    public static string TestAssembly => typeof(Cli).Assembly.Location;

    public string Dir { get; } = Directory.CreateTempSubdirectory("loom-grid-test-").FullName;
    public string Outputs => Path.Combine(Dir, "out");
    public Dictionary<string, string> Env { get; } = [];

    public sealed record Result(int Code, string Out, string Err);

    public Process Start(params string[] args)
    {
        if (!File.Exists(Loom)) throw new InvalidOperationException($"{Loom} is missing: dotnet build src/Loom.Cli");
        var psi = new ProcessStartInfo(Loom) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "--outputs", Outputs }) if (args.Length > 0 && args[0] != "train" && !args.Contains("--outputs")) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public Result Run(string[] args, string? stdin = null, int timeoutSeconds = 120)
    {
        using var p = Start(args);
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"loom {string.Join(' ', args)}"); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public Result Run(params string[] args) => Run(args, null);

    /// <summary>`loom grid env` over the XPs given (each a string of overrides), from this test assembly.</summary>
    public Result Grid(string[] xps, params string[] args)
    {
        Env["LOOM_TEST_GRID"] = string.Join(';', xps);
        return Run(["grid", "env", "--grids", TestAssembly, "--no-monitor", .. args]);
    }

    public IReadOnlyDictionary<string, JobRow> Jobs()
    {
        using var store = new JobStore(new SchedulerPaths(Outputs).Database);
        return store.Latest(SigsWithJobs());
    }

    public JobRow Job(string sig) => Jobs()[sig];

    /// <summary>How many jobs each XP ever had.</summary>
    public Dictionary<string, long> JobCounts()
    {
        using var db = new SqliteConnection($"Data Source={new SchedulerPaths(Outputs).Database};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT sig, COUNT(*) FROM jobs GROUP BY sig";
        using var r = cmd.ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (r.Read()) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    IEnumerable<string> SigsWithJobs() => JobCounts().Keys;

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="seconds"/>.</summary>
    public static void WaitFor(Func<bool> condition, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            Thread.Sleep(200);
        }
    }

    public void WaitState(string sig, JobState state, int seconds = 120) =>
        WaitFor(() => File.Exists(new SchedulerPaths(Outputs).Database) && Jobs().TryGetValue(sig, out var j) && j.State == state, $"{sig} {state}", seconds);

    public static string Sig(Result r, int line = 0) => r.Out.Split('\n').Where(l => l.StartsWith("submit ")).ElementAt(line).Split(' ')[1];

    public void Dispose()
    {
        // Leave no process behind: the workers (by process group) and the daemon.
        try
        {
            if (File.Exists(new SchedulerPaths(Outputs).Database))
                ProcessTree.Kill(Jobs().Values.Where(j => j.State == JobState.Running && j.Pid is not null).Select(j => (j.Pid!.Value, j.PidStart)), TimeSpan.FromSeconds(2));
            KillDaemon();
        }
        catch (Exception) { } // best effort: the process may be gone already
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>SIGKILLs the scheduler daemon of these outputs (found by its command line).</summary>
    public void KillDaemon() => global::Loom.TestSupport.SchedulerDaemons.Kill(Outputs);
}
