using System.Text.Json.Nodes;
using Loom.Scheduling;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>
/// Requeue through the real Slurm: USR1 reaches the worker through the batch shell, the worker checkpoints
/// and runs `scontrol requeue`, and the same job id runs again and completes from the checkpoint. Slurm
/// holds a requeued job for about 2 minutes (BeginTime); the tests shorten that with `StartTime=now`.
/// </summary>
[Collection("slurm")]
public sealed class SlurmRequeueTests
{
    [Fact]
    public void APreemptedJobRequeuesItselfAndCompletesUnderTheSameId()
    {
        using var f = new SlurmFixture();
        var job = f.Scheduler.Submit([f.Request("preempted", null, "work=40")]).Single();
        f.WaitState("preempted", JobState.Running);
        string checkpoint = Path.Combine(f.Folder("preempted"), "checkpoint.txt");
        SlurmJobTests.SlurmCluster_WaitFor(() => File.Exists(checkpoint) && int.Parse(File.ReadAllText(checkpoint)) >= 5, "a few steps");
        // What Slurm does before a preemption or a time limit: USR1 to the batch shell only (B:).
        new SlurmCommands().Run("scancel", ["--batch", "--signal=USR1", job.JobId]);

        RunAgainWhenRequeued(f, "preempted", job.JobId);
        var done = f.WaitState("preempted", JobState.Completed, 60, j => StartNowIfHeld(j));
        Assert.Equal(job.JobId, done.JobId);
        var runs = f.Runs("preempted");
        Assert.Equal(2, runs.Length);
        Assert.Equal("1", runs[1].Split(' ')[2]); // SLURM_RESTART_COUNT
        Assert.True(int.Parse(runs[1].Split(' ')[5]) >= 5, $"resumed from the checkpoint: {runs[1]}");
        Assert.Contains("preempted", f.Log("preempted"));
        Assert.Equal(40, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(f.Folder("preempted"), "history.json")))![0]!["train"]!["steps"]!);
        Assert.False(File.Exists(Path.Combine(f.Folder("preempted"), SlurmRequeue.StateFile))); // a preemption is not a time-out
    }

    [Fact]
    public void AJobAtItsTimeLimitIsSignalledRequeuesAndCompletes()
    {
        // --time=1 with the default 90 s of grace: Slurm warns at its first time-limit check (every 30 s).
        using var f = new SlurmFixture();
        var limited = new Resources(Cpus: 1, TimeMinutes: 1);
        var job = f.Scheduler.Submit([f.Request("timeout", limited, "work=350")]).Single();
        f.WaitState("timeout", JobState.Running);
        var done = f.WaitState("timeout", JobState.Completed, 150, j => StartNowIfHeld(j));
        Assert.Equal(job.JobId, done.JobId);
        var runs = f.Runs("timeout");
        Assert.True(runs.Length >= 2, string.Join('\n', runs));
        Assert.Contains("timed out", f.Log("timeout"));
        int timeouts = (int)JsonNode.Parse(File.ReadAllText(Path.Combine(f.Folder("timeout"), SlurmRequeue.StateFile)))!["timeouts"]!;
        Assert.Equal(runs.Length - 1, timeouts);
    }

    [Fact]
    public void AfterMaxNumTimeoutTheJobIsNotRequeuedAgain()
    {
        using var f = new SlurmFixture();
        var limited = new Resources(Cpus: 1, TimeMinutes: 1) { MaxNumTimeout = 0 };
        f.Scheduler.Submit([f.Request("give-up", limited, "work=600")]);
        var failed = f.WaitState("give-up", JobState.Failed, 90);
        Assert.Equal(3, failed.ExitCode); // the worker's "not requeued" exit
        Assert.Single(f.Runs("give-up"));
        Assert.Contains("max_num_timeout=0", f.Log("give-up"));
    }

    static void RunAgainWhenRequeued(SlurmFixture f, string sig, string jobId) =>
        SlurmJobTests.SlurmCluster_WaitFor(() => StartNowIfHeld(f.Job(sig)) || f.Runs(sig).Length >= 2, $"{jobId} to be requeued");

    /// <summary>
    /// A requeued job waits ~2 min for its BeginTime: make it eligible now, once its last run has left the node
    /// and a second has passed (sooner, slurmd refuses it, "Job credential revoked", and the job FAILS). True when it did.
    /// </summary>
    internal static bool StartNowIfHeld(JobInfo job)
    {
        if (job.State != JobState.Pending || job.Reason != "BeginTime") return false;
        if (new SlurmCommands().Run("scontrol", ["listpids", job.JobId], check: false).Code == 0) return false; // still on the node
        Thread.Sleep(2000); // slurmd revokes credentials by the second: a relaunch within the second of the kill is refused
        SlurmFixture.Scontrol("update", $"JobId={job.JobId}", "StartTime=now");
        return true;
    }
}
