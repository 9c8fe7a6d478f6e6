using System.Diagnostics;
using Loom.Reporting;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // real trainings share 2 cores

namespace Loom.Lecture.Tests;

/// <summary>
/// Runs the real `loom` executable (built by the project reference) with its own outputs folder in a temporary
/// directory, and reads what a grid left there the way `loom report` does (<see cref="ReportData"/>).
/// Disposing stops the scheduler daemon these outputs started and deletes the folder.
/// </summary>
public sealed class LoomRun : IDisposable
{
    public static readonly string RepoRoot = global::Loom.TestSupport.SchedulerDaemons.RepoRoot();
    // The loom of this test build's configuration (bin/<Configuration>/net10.0): CI tests in Release.
    static readonly string Configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
    public static readonly string Loom = Path.Combine(RepoRoot, "src/Loom.Cli/bin", Configuration, "net10.0/loom");
    public static readonly string Conf = Path.Combine(RepoRoot, "conf");

    public string Dir { get; } = Directory.CreateTempSubdirectory("loom-lecture-test-").FullName;
    public string Outputs => Path.Combine(Dir, "out");

    public sealed record Result(int Code, string Out, string Err);

    public Result Run(string[] args, int timeoutSeconds = 300)
    {
        if (!File.Exists(Loom)) throw new InvalidOperationException($"{Loom} is missing: dotnet build src/Loom.Cli");
        var psi = new ProcessStartInfo(Loom) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--conf");
        psi.ArgumentList.Add(Conf);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"loom {string.Join(' ', args)} ran over {timeoutSeconds} s"); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>This assembly, where the test-sized grids live (Grids/): `loom` loads it with `--grids`.</summary>
    static readonly string TestGrids = typeof(LoomRun).Assembly.Location;

    /// <summary>
    /// `loom grid NAME` on the local scheduler, one XP at a time, watching the table every 2 s until every XP has
    /// ended; then the grid's XPs as the report reads them. NAME is one of loom's grids or of this assembly's.
    /// </summary>
    public ReportData Grid(string name, int timeoutSeconds = 240)
    {
        var r = Run(["grid", name, "--grids", TestGrids, "--outputs", Outputs, "--jobs", "1", "--interval", "0.033"], timeoutSeconds);
        Assert.True(r.Code == 0, $"loom grid {name} exited {r.Code}: {r.Err}");
        return ReportData.Build(name, ReportTargets.Resolve(Conf, Outputs, [name]));
    }

    public void Dispose()
    {
        StopDaemon();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>The local scheduler's daemon that these outputs started, if still there.</summary>
    void StopDaemon() => global::Loom.TestSupport.SchedulerDaemons.Kill(Outputs);
}
