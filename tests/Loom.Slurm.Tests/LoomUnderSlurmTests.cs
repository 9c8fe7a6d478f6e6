using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Scheduling;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>The real `loom` as the Slurm worker: its frozen build trains a tiny XP on Fashion-MNIST through `run -f SIG`.</summary>
[Collection("slurm")]
public sealed class LoomUnderSlurmTests
{
    [Fact]
    public void ATinyTrainingRunsAsASlurmJobOfTheFrozenLoom()
    {
        string build = Path.Combine(SlurmCluster.RepoRoot, "src/Loom.Cli/bin", SlurmFixture.Configuration, "net10.0");
        using var f = new SlurmFixture(o => o with { AppCommand = [Path.Combine(build, "loom")], AppDirectory = build });
        string conf = Path.Combine(build, "conf"); // what `loom` uses in a folder without ./conf (the jobs' --chdir)
        var xp = Xp.Create(conf, ["model=mlp", "data.limit=200", "epochs=1", "threads=1", "progress=plain"], f.Outputs);
        var job = f.Scheduler.Submit([new JobRequest(xp.Sig, xp.Argv, conf, f.Outputs, xp.Folder, new Resources(Cpus: 1))]).Single();
        f.WaitState(xp.Sig, JobState.Completed, 240);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(xp.Folder, "history.json")))!.AsArray();
        Assert.Single(history);
        Assert.NotNull(history[0]!["train"]!["loss"]);
        Assert.Contains(Path.Combine(f.Outputs, ".loom", "code"), File.ReadAllText(Directory.GetFiles(Path.Combine(f.Outputs, ".loom", "slurm"), "job.sh", SearchOption.AllDirectories).Single()));
        Assert.Matches(@"^\d+$", job.JobId);
    }
}

/// <summary>`loom grid/launch --scheduler slurm` through the real CLI: a grid's XPs as one array, and a 2-rank XP as `srun --mpi=pmix` tasks.</summary>
[Collection("slurm")]
public sealed class LoomCliOnSlurmTests
{
    static readonly string Build = Path.Combine(SlurmCluster.RepoRoot, "src/Loom.Cli/bin", SlurmFixture.Configuration, "net10.0");

    static (int Code, string Out, string Err) Loom(string work, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(Build, "loom")) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        using var p = System.Diagnostics.Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException(string.Join(' ', args)); }
        return (p.ExitCode, o.Result, e.Result);
    }

    static void WaitFor(Func<bool> done, string what, int seconds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException(what);
            Thread.Sleep(1000);
        }
    }

    [Fact]
    public void AGridRunsOnSlurmAsAnArrayAndADataParallelXpAsSrunTasks()
    {
        string work = Directory.CreateTempSubdirectory("loom-slurm-cli-").FullName;
        string outputs = Path.Combine(work, "out");
        try
        {
            var grid = Loom(work, "grid", "smoke", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs);
            Assert.True(grid.Code == 0, grid.Err);
            WaitFor(() => Loom(work, "grid", "smoke", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs).Out
                .Split('\n').Count(l => l.Contains("COM")) == 2, "the smoke grid's 2 XPs COMPLETED on Slurm", 240);
            var table = Loom(work, "grid", "smoke", "--scheduler", "slurm", "--no-monitor", "--outputs", outputs).Out;
            Assert.Matches(@"\d+_[01]", table); // array members, Dora's sid form

            var launch = Loom(work, "launch", "-d", "2", "--scheduler", "slurm", "model=mlp", "data.limit=400", "epochs=1", "threads=1",
                "progress=plain", "--outputs", outputs);
            Assert.True(launch.Code == 0, launch.Err);
            string sig = launch.Out.Split(' ')[0];
            string folder = Path.Combine(outputs, "xps", sig);
            WaitFor(() => File.Exists(Path.Combine(folder, "history.json")) && File.Exists(Path.Combine(folder, "worker_1.log")), "the 2-rank XP's first epoch", 240);
            Assert.Contains("(16 on each of 2 ranks)", File.ReadAllText(Path.Combine(folder, "train.log")));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    // ranks 2: the mid-epoch checkpoint must hold every rank's share of the partial epoch's metrics (it held rank 0's
    // alone once: the weights matched, the history did not).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void APreemptedXpCheckpointsMidEpochRequeuesAndEndsLikeAnUninterruptedRun(int ranks)
    {
        string work = Directory.CreateTempSubdirectory("loom-slurm-requeue-").FullName;
        string outputs = Path.Combine(work, "out");
        // Long enough (a CNN, ~10 s an epoch here) that the signal lands in the middle of the first epoch.
        string[] xp = ["model=cnn", "model.channels=16", "data.limit=20000", "epochs=2", "threads=1", "adaptive_threads=false", "progress=plain"];
        string[] parallel = ranks > 1 ? ["-d", $"{ranks}"] : [];
        try
        {
            var launch = Loom(work, ["launch", .. parallel, "--scheduler", "slurm", .. xp, "--outputs", outputs]);
            Assert.True(launch.Code == 0, launch.Err);
            string sig = launch.Out.Split(' ')[0];
            string folder = Path.Combine(outputs, "xps", sig);
            using var slurm = new SlurmScheduler(outputs, new SlurmOptions(["unused"]));
            JobInfo Job() => slurm.Latest([sig])[sig];
            // Preempt it in the middle of training (after its first progress line), as Slurm would: USR1 to the batch shell.
            WaitFor(() => File.Exists(Path.Combine(folder, "job.log")) && File.ReadAllText(Path.Combine(folder, "job.log")).Contains("train 1/2"), "training to start", 240);
            string jobId = Job().JobId;
            new SlurmCommands().Run("scancel", ["--batch", "--signal=USR1", jobId]);
            string Log() => File.Exists(Path.Combine(folder, "job.log")) ? File.ReadAllText(Path.Combine(folder, "job.log")) : "(no job.log)";
            WaitFor(() =>
            {
                var job = Job();
                if (job.State is JobState.Failed or JobState.Cancelled) throw new Xunit.Sdk.XunitException($"job {job.JobId} {job.State}: {job.Reason}\n{Log()}");
                SlurmRequeueTests.StartNowIfHeld(job);
                return job.State == JobState.Completed;
            }, "the requeued job to complete", 300);
            Assert.Equal(jobId, Job().JobId); // requeued under the same id
            string log = File.ReadAllText(Path.Combine(folder, "train.log"));
            Assert.True(log.Contains("stop requested: checkpoint written at epoch 1"), $"no mid-epoch stop in train.log:\n{log}\n{Log()}");
            Assert.Matches(@"resuming from epoch \d, batch \d+", log);

            // The same XP trained without interruption, here: the same history (timings aside).
            var straight = Loom(work, ["train", .. parallel, .. xp, $"loom.outputs={Path.Combine(work, "straight")}"]);
            Assert.True(straight.Code == 0, straight.Err);
            static string Comparable(string file)
            {
                var history = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
                foreach (var e in history) { e!.AsObject().Remove("duration"); e.AsObject().Remove("samples_per_second"); }
                return history.ToJsonString();
            }
            Assert.Equal(Comparable(Path.Combine(work, "straight", "xps", sig, "history.json")), Comparable(Path.Combine(folder, "history.json")));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
