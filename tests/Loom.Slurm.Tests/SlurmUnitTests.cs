using System.Diagnostics;
using Loom.Grids;
using Loom.Scheduling;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>The parts that need no cluster: Dora's requeue rule, Slurm's durations and states, the batch script.</summary>
public sealed class SlurmUnitTests
{
    [Theory]
    // limit 60 min: guaranteed walltime min(48, 50) = 48 min
    [InlineData(47, 60, 0, 20, false, true)]   // before 48 min: preempted, requeued
    [InlineData(48, 60, 0, 20, true, true)]    // from 48 min: timed out, requeued
    [InlineData(48, 60, 20, 20, true, false)]  // the 21st time-out is not requeued
    [InlineData(48, 60, 20, 21, true, true)]
    [InlineData(1, 1, 0, 20, true, true)]      // short limits: min(0.8 × 1, 1 − 10) < 0, always a time-out
    [InlineData(500, 1000, 5, 5, false, true)] // limit 1000: guaranteed 800 min; preemption does not count
    public void DorasRuleTellsTimeOutFromPreemption(int elapsedMin, int limitMin, int timeouts, int max, bool timedOut, bool requeue)
    {
        var d = SlurmRequeue.Decide(TimeSpan.FromMinutes(elapsedMin), TimeSpan.FromMinutes(limitMin), timeouts, max, rank: 0);
        Assert.Equal(timedOut, d.TimedOut);
        Assert.Equal(requeue, d.Requeue);
    }

    [Fact]
    public void OnlyRankZeroRequeuesAndNoLimitMeansPreemption()
    {
        Assert.False(SlurmRequeue.Decide(TimeSpan.FromHours(5), null, 0, 20, rank: 1).Requeue);
        var d = SlurmRequeue.Decide(TimeSpan.FromHours(5), null, 0, 20, rank: 0);
        Assert.False(d.TimedOut);
        Assert.True(d.Requeue);
    }

    [Theory]
    [InlineData("UNLIMITED", null)]
    [InlineData("05:00", 300)]
    [InlineData("01:02:03", 3723)]
    [InlineData("2-00:00:10", 172810)]
    public void SlurmDurationsParse(string text, int? seconds) =>
        Assert.Equal(seconds, SlurmRequeue.ParseDuration(text) is TimeSpan t ? (int)t.TotalSeconds : null);

    [Theory]
    [InlineData("PENDING", JobState.Pending)]
    [InlineData("REQUEUED", JobState.Pending)]
    [InlineData("COMPLETING", JobState.Running)]
    [InlineData("COMPLETED", JobState.Completed)]
    [InlineData("OUT_OF_MEMORY", JobState.Failed)]
    [InlineData("NODE_FAIL", JobState.Failed)]
    [InlineData("TIMEOUT", JobState.Timeout)]
    [InlineData("CANCELLED", JobState.Cancelled)]
    public void SlurmStatesMapToLoomsSix(string slurm, JobState loom) => Assert.Equal(loom, SlurmStates.Map(slurm));

    [Fact]
    public void ExitCodesCarryTheSignalWhenThereIsOne()
    {
        Assert.Equal((2, null), SlurmStates.ParseExitCode("2:0"));
        Assert.Equal((0, 9), SlurmStates.ParseExitCode("0:9"));
    }

    [Fact]
    public void TheBatchScriptHasTheArrayTheSignalTheResourcesAndOneLinePerMember()
    {
        var paths = new SlurmPaths("/o");
        var r = new Resources(Cpus: 4, MemoryGb: 16, TimeMinutes: 120, Tasks: 2)
        {
            Partition = "learnlab", Gpus = 1, Constraint = "volta32gb", Qos = "high", Account = "me", Exclude = "n1,n2",
            Comment = "deadline friday", Sbatch = ["--nice=10", "#SBATCH --mail-type=END"], ArrayParallelism = 8, MaxNumTimeout = 3,
        };
        string s = SlurmScript.Build(paths, "tok", r, [new("/o/xps/a", ["app", "run", "-f", "a"]), new("/o/xps/b's", ["app", "run", "-f", "b"])],
            array: true, 90, "/work");
        foreach (var line in new[] { "#SBATCH --array=0-1%8", "#SBATCH --signal=B:USR1@90", "#SBATCH --open-mode=append", "#SBATCH --job-name=loom-tok",
            "#SBATCH --partition=learnlab", "#SBATCH --time=120", "#SBATCH --ntasks=2", "#SBATCH --cpus-per-task=4", "#SBATCH --mem=16G",
            "#SBATCH --gpus-per-task=1", "#SBATCH --constraint=volta32gb", "#SBATCH --qos=high", "#SBATCH --account=me", "#SBATCH --exclude=n1,n2",
            "#SBATCH --comment=\"deadline friday\"", "#SBATCH --requeue", "#SBATCH --nice=10", "#SBATCH --mail-type=END", "#SBATCH --chdir=/work",
            "export LOOM_SLURM_TIME_LIMIT_MIN=120", "export LOOM_SLURM_MAX_NUM_TIMEOUT=3" })
            Assert.Contains(line + "\n", s);
        Assert.Contains("0) folder='/o/xps/a'; cmd=('srun' '--mpi=pmix' '--cpus-per-task=4' 'app' 'run' '-f' 'a') ;;", s);
        Assert.Contains("1) folder='/o/xps/b'\\''s';", s);
        Assert.DoesNotContain("#SBATCH", s[s.IndexOf("\ntask=", StringComparison.Ordinal)..]); // sbatch reads options before the first command only
    }

    [Fact]
    public void ALineBreakInASettingIsRefusedNamingIt()
    {
        var r = new Resources { Partition = "a\n#SBATCH --x" };
        var e = Assert.Throws<SlurmException>(() => SlurmScript.Build(new SlurmPaths("/o"), "t", r, [new("/f", ["x"])], false, 90, "/"));
        Assert.Contains("partition", e.Message);
    }

    [Fact]
    public void ASubmitLockOutlivesItsHolderInTheProcessesItStarted()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("loom-lock-").FullName, "submit.lock");
        Process child;
        using (var held = SubmitLock.TryAcquire(path))
        {
            Assert.NotNull(held);
            Assert.Null(SubmitLock.TryAcquire(path));
            child = Process.Start("/bin/sleep", ["1.5"]); // stands for an sbatch still talking to slurmctld
        }
        Assert.True(DaemonLock.IsHeld(path)); // the submitter let go, its sbatch still holds it
        child.WaitForExit();
        Assert.False(DaemonLock.IsHeld(path));
        child.Dispose();
    }

    [Fact]
    public void LauncherSlurmSetsEveryKeyAndGroupsBySettings()
    {
        var herd = new Herd(_ => throw new InvalidOperationException());
        var l = new Launcher(herd).Slurm(partition: "p", gpus: 2, timeMinutes: 60).Slurm(qos: "q", sbatch: ["--x"], arrayParallelism: 4);
        Assert.Equal(("p", 2, 60, "q", 4), (l.Resources.Partition, l.Resources.Gpus, l.Resources.TimeMinutes, l.Resources.Qos, l.Resources.ArrayParallelism));
        Assert.Equal(["--x"], l.Resources.Sbatch);
        Assert.Equal(l.Resources.Key, (l.Resources with { Sbatch = ["--x"] }).Key);
        Assert.NotEqual(l.Resources.Key, (l.Resources with { Sbatch = ["--y"] }).Key);
        Assert.Equal("p", l.Slurm(cpus: 3).Resources.With(memoryGb: 4).Partition); // With keeps the Slurm-only keys
    }
}
