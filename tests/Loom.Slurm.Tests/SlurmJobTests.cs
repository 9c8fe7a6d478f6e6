using System.Text.Json.Nodes;
using Loom.Scheduling;

namespace Loom.Slurm.Tests;

/// <summary>Single jobs through the real Slurm: the life of a job, failures with their exit code, scancel.</summary>
[Collection("slurm")]
public sealed class SlurmJobTests(SlurmCluster cluster)
{
    [Fact]
    public void AJobGoesFromPendingToRunningToCompletedWithOneSqueuePerRefresh()
    {
        using var f = new SlurmFixture();
        // Held at submission so that PENDING is seen for sure; released by hand.
        var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
        var job = f.Scheduler.Submit([f.Request("single", held, "work=15")]).Single();
        Assert.Matches(@"^\d+$", job.JobId);
        Assert.Equal(JobState.Pending, f.Job("single").State);
        Assert.Contains("loom-", SlurmFixture.Scontrol("-o", "show", "job", job.JobId)); // the submission token is the job name

        int before = f.Commands.Calls;
        f.Scheduler.Latest(["single"]);
        Assert.Equal(1, f.Commands.Calls - before); // one squeue, whatever the number of XPs

        SlurmFixture.Scontrol("release", job.JobId);
        f.WaitState("single", JobState.Running);
        var done = f.WaitState("single", JobState.Completed);
        Assert.Equal(job.JobId, done.JobId);
        Assert.Equal(0, done.ExitCode);
        Assert.Equal(15, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(f.Folder("single"), "history.json")))![0]!["train"]!["steps"]!);
        Assert.Single(f.Runs("single"));
        Assert.Contains("worker single", f.Log("single")); // the worker's console goes to the XP's job.log

        // A finished XP is not submitted again while its job is remembered, and an active one never.
        var again = f.Scheduler.Submit([f.Request("single", held, "work=15")]).Single();
        Assert.Equal(JobState.Pending, again.State); // finished: a new job (the grid decides whether to ask)
        Assert.NotEqual(job.JobId, again.JobId);
        var third = f.Scheduler.Submit([f.Request("single", held, "work=15")]).Single();
        Assert.Equal(again.JobId, third.JobId); // active: the same job comes back
        Assert.Equal(2, f.Scheduler.Store.All().Count);
    }

    [Fact]
    public void AFailingWorkerIsFailedWithItsExitCode()
    {
        using var f = new SlurmFixture();
        f.Scheduler.Submit([f.Request("fails", null, "work=2", "exit=3")]);
        var failed = f.WaitState("fails", JobState.Failed);
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("exit code 3", failed.Outcome);
    }

    [Fact]
    public void ScancelCancelsARunningJobAndItsWorker()
    {
        using var f = new SlurmFixture();
        var job = f.Scheduler.Submit([f.Request("long", null, "work=600")]).Single();
        f.WaitState("long", JobState.Running);
        string checkpoint = Path.Combine(f.Folder("long"), "checkpoint.txt");
        SlurmCluster_WaitFor(() => File.Exists(checkpoint), "the worker's first step");
        f.Scheduler.Cancel([job.JobId]);
        Assert.Equal(JobState.Cancelled, f.Job("long").State);
        // Slurm's own view agrees, and the worker is gone (its checkpoint stops moving).
        SlurmCluster_WaitFor(() => SlurmFixture.Scontrol("-o", "show", "job", job.JobId).Contains("JobState=CANCELLED"), "Slurm to say CANCELLED");
        Thread.Sleep(500);
        string a = File.ReadAllText(checkpoint);
        Thread.Sleep(500);
        Assert.Equal(a, File.ReadAllText(checkpoint));
    }

    [Fact]
    public void AnArrayCancelledOutsideLoomIsCancelledForEachMember()
    {
        using var f = new SlurmFixture();
        var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
        var jobs = f.Scheduler.Submit([f.Request("m0", held), f.Request("m1", held)]);
        new Loom.Scheduling.Slurm.SlurmCommands().Run("scancel", [jobs[0].JobId.Split('_')[0]]); // a user's scancel of the whole array
        SlurmCluster_WaitFor(() => f.Scheduler.Latest(["m0", "m1"]).Values.All(j => j.State == JobState.Cancelled), "both members CANCELLED");
    }

    [Fact]
    public void AJobSlurmHasForgottenIsReadFromTheJobcompFileOrTheExitFile()
    {
        using var f = new SlurmFixture();
        // Two jobs older than MinJobAge, as Slurm no longer shows them: ids it never gave in this cluster.
        f.Scheduler.Store.Reserve([f.Request("old-timeout"), f.Request("old-done")],
            fresh => [(fresh[0], "forgotten000a", null, null), (fresh[1], "forgotten000b", null, null)]);
        f.Scheduler.Store.Submitted("forgotten000a", "990001");
        f.Scheduler.Store.Submitted("forgotten000b", "990002");
        File.AppendAllText(Path.Combine(cluster.Dir, "log", "jobcomp.txt"),
            "JobId=990001 UserId=root(0) Name=loom-forgotten000a JobState=TIMEOUT Partition=debug ExitCode=0:15\n");
        Directory.CreateDirectory(f.Scheduler.Paths.Submission("forgotten000b"));
        File.WriteAllText(f.Scheduler.Paths.Exit("forgotten000b", null), "0 0\n"); // what the batch script writes at the end

        var jobs = f.Scheduler.Latest(["old-timeout", "old-done"]);
        Assert.Equal((JobState.Timeout, 15), (jobs["old-timeout"].State, jobs["old-timeout"].Signal));
        Assert.Equal(JobState.Completed, jobs["old-done"].State);
        Assert.Equal("from the batch script's exit file", jobs["old-done"].Reason);
    }

    [Fact]
    public void BadResourcesFailTheSubmissionWithSlurmsMessageAndFreeTheXp()
    {
        using var f = new SlurmFixture();
        var bad = new Resources(Cpus: 1) { Partition = "nosuchpartition" };
        var e = Assert.Throws<Loom.Scheduling.Slurm.SlurmException>(() => f.Scheduler.Submit([f.Request("bad", bad)]));
        Assert.Contains("sbatch", e.Message);
        Assert.Contains("partition", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(f.Scheduler.Store.All()); // nothing half-submitted is left: the XP can be submitted again
        var ok = f.Scheduler.Submit([f.Request("bad", new Resources(Cpus: 1), "work=1")]).Single();
        Assert.NotEqual("-", ok.JobId);
    }

    internal static void SlurmCluster_WaitFor(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            Thread.Sleep(150);
        }
    }
}
