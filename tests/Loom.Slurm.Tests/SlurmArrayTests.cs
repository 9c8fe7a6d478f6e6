using Loom.Scheduling;

namespace Loom.Slurm.Tests;

/// <summary>XPs that share resources go into one job array; its parallelism is respected; 2 tasks run through srun.</summary>
[Collection("slurm")]
public sealed class SlurmArrayTests
{
    [Fact]
    public void XpsWithTheSameResourcesShareOneArrayThatRunsAtMostPAtOnce()
    {
        using var f = new SlurmFixture();
        var shared = new Resources(Cpus: 1) { ArrayParallelism = 1 };
        var other = new Resources(Cpus: 1, TimeMinutes: 30);
        string[] sigs = ["a0", "a1", "a2"];
        var jobs = f.Scheduler.Submit([.. sigs.Select(s => f.Request(s, shared, "work=8")), f.Request("alone", other, "work=1")]);
        var arrayId = jobs[0].JobId.Split('_')[0];
        Assert.Equal([$"{arrayId}_0", $"{arrayId}_1", $"{arrayId}_2"], jobs.Take(3).Select(j => j.JobId));
        Assert.Matches(@"^\d+$", jobs[3].JobId); // other resources: a job of its own

        int maxRunning = 0;
        bool sawLimit = false;
        SlurmJobTests.SlurmCluster_WaitFor(() =>
        {
            var states = f.Scheduler.Latest(sigs);
            maxRunning = Math.Max(maxRunning, states.Values.Count(j => j.State == JobState.Running));
            sawLimit |= states.Values.Any(j => j.Reason == "JobArrayTaskLimit");
            return states.Values.All(j => j.State == JobState.Completed);
        }, "the array to complete", 90);
        Assert.Equal(1, maxRunning); // %1
        Assert.True(sawLimit, "a member waited for the array's limit");
        foreach (var (sig, i) in sigs.Select((s, i) => (s, i)))
            Assert.StartsWith($"start {arrayId}_{i} 0 0 v1 0", f.Runs(sig).Single()); // each member found its own XP
        Assert.Equal(JobState.Completed, f.WaitState("alone", JobState.Completed).State);
    }

    [Fact]
    public void AnXpWithTwoTasksRunsItsRanksThroughSrun()
    {
        using var f = new SlurmFixture();
        f.Scheduler.Submit([f.Request("ranks", new Resources(Cpus: 1, Tasks: 2), "work=3")]);
        f.WaitState("ranks", JobState.Completed);
        var ranks = f.Runs("ranks").Select(l => l.Split(' ')[3]).Order().ToList();
        Assert.Equal(["0", "1"], ranks);
        Assert.Contains("srun --mpi=pmix", File.ReadAllText(Directory.GetFiles(Path.Combine(f.Outputs, ".loom", "slurm"), "job.sh", SearchOption.AllDirectories).Single()).Replace("'", ""));
    }

    [Fact]
    public void ArraysOffGivesOneJobPerXp()
    {
        using var f = new SlurmFixture(o => o with { UseArrays = false });
        var jobs = f.Scheduler.Submit([f.Request("s0", null, "work=1"), f.Request("s1", null, "work=1")]);
        Assert.All(jobs, j => Assert.Matches(@"^\d+$", j.JobId));
        Assert.NotEqual(jobs[0].JobId, jobs[1].JobId);
        f.WaitState("s0", JobState.Completed);
        f.WaitState("s1", JobState.Completed);
    }
}
