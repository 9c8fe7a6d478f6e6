using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Scheduling;

namespace Loom.Grids.Tests;

/// <summary>Grids and the local scheduler through the real `loom`, with real (tiny) trainings.</summary>
public sealed class SchedulerIntegrationTests
{
    // ~1 s of training once loaded: a small MLP on 200 samples.
    const string Tiny = "model=mlp data.limit=200 epochs=1 threads=1 progress=plain";
    // Long enough to be caught running (and killed after its first checkpoint): a CNN, ~1.5 s per epoch.
    static string Slow(int epochs) => $"model=cnn data.limit=1000 epochs={epochs} threads=1 progress=plain";

    [Fact]
    public void SmokeGridGoesFromPendingToCompletedAndTheTableShowsItsMetrics()
    {
        using var cli = new Cli();
        var first = cli.Run("grid", "smoke", "--no-monitor");
        Assert.Equal(0, first.Code);
        Assert.Equal(2, first.Out.Split('\n').Count(l => l.StartsWith("submit "))); // the duplicate XP is added once
        Assert.Matches(@"\b(PEN|RUN)\b", first.Out);
        var sigs = cli.JobCounts().Keys.ToList();
        foreach (var sig in sigs) cli.WaitState(sig, JobState.Completed);

        var again = cli.Run("grid", "smoke", "--no-monitor");
        Assert.DoesNotContain("submit", again.Out); // completed XPs are left alone
        Assert.Contains("Base name: model=mlp dat.limit=200 epochs=1", again.Out);
        Assert.Contains("train loss", again.Out);
        Assert.Equal(2, again.Out.Split('\n').Count(l => l.Contains(" COM ")));
        Assert.DoesNotContain("\u001b", again.Out); // piped: plain text
        Assert.All(cli.JobCounts().Values, c => Assert.Equal(1, c));

        var metrics = cli.Run("info", "-f", sigs[0], "-m");
        Assert.Equal(1, (int)JsonNode.Parse(metrics.Out)!["epoch"]!);
        Assert.Contains("epochs", cli.Run("info", "-f", sigs[0], "-l").Out); // the worker's console: the trainer's report
        Assert.Contains("epochs", cli.Run(["info", "-f", sigs[0], "-t"], timeoutSeconds: 20).Out); // the job is over: -t prints and returns
        var trimmed = cli.Run("grid", "smoke", "--no-monitor", "-T", "1");
        Assert.Equal(2, trimmed.Out.Split('\n').Count(l => l.Contains(" COM ")));

        // --clear unconfirmed: nothing cancelled or deleted.
        var refused = cli.Run(["grid", "smoke", "--clear", "--no-monitor"], stdin: "n\n");
        Assert.NotEqual(0, refused.Code);
        Assert.Single(refused.Err.Trim().Split('\n'), l => l.StartsWith("loom: error"));
        Assert.All(sigs, s => Assert.True(File.Exists(Path.Combine(cli.Outputs, "xps", s, "history.json"))));
        Assert.All(cli.JobCounts().Values, c => Assert.Equal(1, c));

        // export | import into other outputs gives the same XPs.
        var share = cli.Run(["export", .. sigs]);
        Assert.Equal(0, share.Code);
        var imported = cli.Run(["import", "--outputs", Path.Combine(cli.Dir, "other")], stdin: share.Out);
        Assert.Equal(sigs.Order(), imported.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Order());
    }

    [Fact]
    public void JobsAboveTheCoresWarnOnceAndRunAsAsked()
    {
        using var cli = new Cli();
        int cores = Environment.ProcessorCount;
        var atCores = cli.Grid([Tiny], "--jobs", $"{cores}", "--dry-run");
        Assert.True(atCores.Code == 0, atCores.Err);
        Assert.DoesNotContain("warning", atCores.Err);
        var above = cli.Grid([Tiny], "--jobs", $"{cores + 1}");
        Assert.True(above.Code == 0, above.Err);
        Assert.Single(above.Err.Split('\n'), l => l.Contains($"warning: --jobs {cores + 1}: more XPs at once than the {cores} cores"));
        cli.WaitState(Cli.Sig(above, 0), JobState.Completed);
    }

    [Fact]
    public void AnXpRemovedFromTheGridIsCancelledAndItsProcessKilled()
    {
        using var cli = new Cli();
        string a = Slow(20), b = Tiny;
        var r = cli.Grid([a, b], "--jobs", "1");
        string sigA = Cli.Sig(r, 0), sigB = Cli.Sig(r, 1);
        cli.WaitState(sigA, JobState.Running);
        Cli.WaitFor(() => cli.Job(sigA).Pid is not null, "the worker's pid");
        var worker = cli.Job(sigA);
        Assert.Equal(JobState.Pending, cli.Job(sigB).State); // one slot: B waits

        var shrunk = cli.Grid([b]);
        Assert.Contains($"cancel job {worker.Info.JobId} of {sigA} (no longer in the grid)", shrunk.Out);
        Assert.Equal(JobState.Cancelled, cli.Job(sigA).State);
        Cli.WaitFor(() => !ProcessTree.IsAlive(worker.Pid!.Value, worker.PidStart), "the cancelled worker to die", 10);
        cli.WaitState(sigB, JobState.Completed); // the freed slot goes to B
        Assert.Equal(JobState.Cancelled, cli.Job(sigA).State);
    }

    [Fact]
    public void AKilledWorkerIsFailedAndRetryResumesItFromItsCheckpoint()
    {
        using var cli = new Cli();
        string xp = Slow(6); // room to catch it between its first and its last epoch, even on a loaded machine
        string sig = Cli.Sig(cli.Grid([xp]));
        string history = Path.Combine(cli.Outputs, "xps", sig, "history.json");
        Cli.WaitFor(() => File.Exists(history) && cli.Job(sig) is { State: JobState.Running, Pid: not null }, "a first epoch");
        var job = cli.Job(sig);
        Process.GetProcessById(job.Pid!.Value).Kill(); // SIGKILL
        cli.WaitState(sig, JobState.Failed, 30);
        Assert.Equal(9, cli.Job(sig).Signal);

        var table = cli.Grid([xp]);
        Assert.DoesNotContain("submit", table.Out); // a failed XP waits for -r
        Assert.Contains(" FAI ", table.Out);

        var retried = cli.Grid([xp], "-r");
        Assert.Contains($"submit {sig}", retried.Out);
        cli.WaitState(sig, JobState.Completed);
        Assert.Equal(6, JsonNode.Parse(File.ReadAllText(history))!.AsArray().Count);
        Assert.Contains("resuming from epoch", File.ReadAllText(Path.Combine(cli.Outputs, "xps", sig, "train.log")));
        Assert.Equal(2, cli.JobCounts()[sig]);
    }

    [Fact]
    public void KillingLoomOrTheSchedulerAtAnyPointLosesAndDuplicatesNothing()
    {
        using var cli = new Cli();
        string[] xps = [.. Enumerable.Range(0, 4).Select(i => $"{Tiny} seed={i}")];
        cli.Env["LOOM_TEST_GRID"] = string.Join(';', xps);
        var random = new Random(6);
        for (int round = 0; round < 8; round++)
        {
            using var grid = cli.Start("grid", "env", "--grids", Cli.TestAssembly, "--no-monitor", "--jobs", "1");
            Thread.Sleep(random.Next(0, 700));
            grid.Kill(); // SIGKILL, wherever it is
            grid.WaitForExit();
            if (round % 2 == 1) cli.KillDaemon();
        }
        var final = cli.Grid(xps, "--jobs", "1");
        Assert.Equal(0, final.Code);
        var counts = cli.JobCounts();
        Assert.Equal(4, counts.Count);
        foreach (var sig in counts.Keys) cli.WaitState(sig, JobState.Completed, 180);
        Assert.All(cli.JobCounts().Values, c => Assert.Equal(1, c)); // each XP ran exactly once
        var bySeed = cli.Grid(xps, "--seeds");
        var row = Assert.Single(bySeed.Out.Split('\n'), l => l.Contains(" COM "));
        Assert.Contains("×4", row); // four seeds in one row, metrics as mean ± std
        Assert.Contains(" ± ", row);
    }

    [Fact]
    public void TwoGridCommandsAtOnceGiveOneJobPerXp()
    {
        using var cli = new Cli();
        cli.Env["LOOM_TEST_GRID"] = string.Join(';', Enumerable.Range(0, 6).Select(i => $"{Slow(20)} seed={i}"));
        using var one = cli.Start("grid", "env", "--grids", Cli.TestAssembly, "--no-monitor", "--jobs", "1");
        using var two = cli.Start("grid", "env", "--grids", Cli.TestAssembly, "--no-monitor", "--jobs", "1");
        Assert.True(one.WaitForExit(60_000) && two.WaitForExit(60_000));
        Assert.Equal((0, 0), (one.ExitCode, two.ExitCode));
        var counts = cli.JobCounts();
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, c => Assert.Equal(1, c));
        var cancel = cli.Run("grid", "env", "--grids", Cli.TestAssembly, "-C");
        Assert.Equal(0, cancel.Code);
        Assert.All(cli.Jobs().Values, j => Assert.Equal(JobState.Cancelled, j.State));
    }

    [Fact]
    public void LaunchThenCancelKillsTheWorker()
    {
        using var cli = new Cli();
        var launched = cli.Run(["launch", .. Slow(20).Split(' ')]);
        Assert.Equal(0, launched.Code);
        string sig = launched.Out.Split(' ')[0];
        Cli.WaitFor(() => File.Exists(new SchedulerPaths(cli.Outputs).Database) && cli.Jobs().TryGetValue(sig, out var j) && j.Pid is not null, "the worker");
        var worker = cli.Job(sig);
        Assert.Contains("already has job", cli.Run(["launch", .. Slow(20).Split(' ')]).Out); // never twice
        var cancelled = cli.Run("cancel", "-f", sig);
        Assert.Contains("cancelled job", cancelled.Out);
        Assert.Equal(JobState.Cancelled, cli.Job(sig).State);
        Cli.WaitFor(() => !ProcessTree.IsAlive(worker.Pid!.Value, worker.PidStart), "the worker to die", 10);
    }

}
