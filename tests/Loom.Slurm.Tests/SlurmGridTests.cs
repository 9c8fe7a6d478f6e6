using Loom.Experiments;
using Loom.Grids;
using Loom.Scheduling;

namespace Loom.Slurm.Tests;

/// <summary>
/// A grid pass (GridRun, what `loom grid` runs) on the Slurm scheduler: it submits the grid's XPs as one array,
/// leaves them alone on a second pass, cancels an XP removed from the grid, and `-C` cancels the rest.
/// </summary>
[Collection("slurm")]
public sealed class SlurmGridTests
{
    [Fact]
    public void AGridIsSubmittedAsOneArrayAndRemovalAndCancelReachSlurm()
    {
        using var f = new SlurmFixture();
        string conf = Path.Combine(f.Dir, "conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "config.yaml"), "work: 10\nexit: 0\n");
        GridXp Member(int work) => new(Xp.Create(conf, [$"work={work}"], f.Outputs), new Resources(Cpus: 1));
        var grid = new[] { Member(600), Member(601), Member(602) };
        var log = new StringWriter();
        var run = new GridRun("g", conf, f.Outputs, f.Scheduler, log);

        run.Execute(grid, [], new GridOptions(), _ => true);
        var ids = f.Scheduler.Latest(grid.Select(g => g.Xp.Sig)).Values.Select(j => j.JobId).ToList();
        Assert.Single(ids.Select(i => i.Split('_')[0]).Distinct()); // one array
        Assert.Equal(3, log.ToString().Split('\n').Count(l => l.StartsWith("submit ")));

        log.GetStringBuilder().Clear();
        run.Execute(grid, [], new GridOptions(), _ => true);
        Assert.DoesNotContain("submit", log.ToString()); // active XPs are left alone

        var removed = grid[2];
        run.Execute(grid[..2], [], new GridOptions(), _ => true);
        Assert.Contains($"cancel job {ids[2]} of {removed.Xp.Sig} (no longer in the grid)", log.ToString());
        Assert.Equal(JobState.Cancelled, f.Job(removed.Xp.Sig).State);

        run.Execute(grid[..2], [], new GridOptions(Cancel: true), _ => true);
        Assert.All(grid[..2], g => Assert.Equal(JobState.Cancelled, f.Job(g.Xp.Sig).State));
        string arrayId = ids[0].Split('_')[0];
        // Nothing of the array is left pending or running in Slurm (cancelled pending members are not listed one by one).
        SlurmJobTests.SlurmCluster_WaitFor(() => new Loom.Scheduling.Slurm.SlurmCommands().Run("squeue", ["-h", "-r", "-j", arrayId, "-o", "%i %T"]).Out.Trim() == "",
            "Slurm to cancel all three");
    }

    [Fact]
    public void AnAdministratorsRequeueOfARunningXpResumesItFromItsCheckpoint()
    {
        using var f = new SlurmFixture();
        var job = f.Scheduler.Submit([f.Request("requeued", null, "work=40")]).Single();
        string checkpoint = Path.Combine(f.Folder("requeued"), "checkpoint.txt");
        SlurmJobTests.SlurmCluster_WaitFor(() => File.Exists(checkpoint) && int.Parse(File.ReadAllText(checkpoint)) >= 5, "a few steps");
        SlurmFixture.Scontrol("requeue", job.JobId); // no USR1: Slurm kills the run and queues the job again
        var done = f.WaitState("requeued", JobState.Completed, 90, j => SlurmRequeueTests.StartNowIfHeld(j));
        Assert.Equal(job.JobId, done.JobId);
        var runs = f.Runs("requeued");
        Assert.Equal(2, runs.Length);
        Assert.True(int.Parse(runs[1].Split(' ')[5]) >= 5, runs[1]);
    }
}
