using System.Diagnostics;
using Loom.Scheduling;
using Loom.Scheduling.Slurm;

namespace Loom.Slurm.Tests;

/// <summary>Never two jobs for one XP: concurrent submitters, and a `loom` killed between `sbatch` and recording the id.</summary>
[Collection("slurm")]
public sealed class SlurmSubmissionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static readonly Resources Held = new(Cpus: 1) { Sbatch = ["--hold"] };

    [Fact]
    public void TwoConcurrentSubmittersNeverSubmitAnXpTwice()
    {
        using var f = new SlurmFixture();
        var requests = Enumerable.Range(0, 6).Select(i => f.Request($"x{i}", Held)).ToList();
        using var other = new SlurmScheduler(f.Outputs, new SlurmOptions(["/bin/true"]) { WorkingDirectory = f.Dir });
        using var start = new Barrier(2);
        var results = new IReadOnlyList<JobInfo>[2];
        var threads = new[] { f.Scheduler, other }.Select((s, i) => new Thread(() => { start.SignalAndWait(); results[i] = s.Submit(requests); })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        // Each sees every XP's one job: its own submission's ids, or "-" for the other's still in flight.
        var ids = f.Scheduler.Latest(requests.Select(r => r.Sig)).Values.Select(j => j.JobId).ToHashSet();
        Assert.All(results.SelectMany(r => r), j => Assert.True(j.JobId == "-" || ids.Contains(j.JobId), j.JobId));
        Assert.Equal(6, ids.Count);
        Assert.Equal(6, f.Scheduler.Store.All().Count);
        var tokens = f.Scheduler.Store.All().Select(r => SlurmPaths.JobName(r.Token)).Distinct();
        int inSlurm = tokens.Sum(name => new SlurmCommands().Run("squeue", ["-h", "-r", "--name", name, "-o", "%i"]).Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(6, inSlurm);
    }

    [Fact]
    public void ASubmissionKilledAfterSbatchIsFoundAgainAndNotResubmitted()
    {
        using var f = new SlurmFixture();
        // Replay what a `loom` killed right after `sbatch` leaves behind: reserved rows, a job in Slurm, no id recorded.
        string token = HalfSubmit(f, "orphan", runSbatch: true);
        Assert.True(f.Scheduler.Store.All().Single().IsSubmitting);

        var again = f.Scheduler.Submit([f.Request("orphan", Held)]).Single();
        Assert.Matches(@"^\d+$", again.JobId);
        Assert.Single(f.Scheduler.Store.All());
        var named = new SlurmCommands().Run("squeue", ["-h", "--name", SlurmPaths.JobName(token), "-o", "%i"]).Out.Trim();
        Assert.Equal(again.JobId, named); // the orphan's job was adopted, not submitted a second time
    }

    [Fact]
    public void ASubmissionKilledBeforeSbatchIsForgottenAndTheXpSubmittedAgain()
    {
        using var f = new SlurmFixture();
        HalfSubmit(f, "never", runSbatch: false);
        var job = f.Scheduler.Submit([f.Request("never", Held)]).Single();
        Assert.Matches(@"^\d+$", job.JobId);
        Assert.Single(f.Scheduler.Store.All());
    }

    [Fact]
    public void AnActiveSubmitterIsNotMistakenForAnOrphan()
    {
        using var f = new SlurmFixture();
        var reserved = f.Scheduler.Store.Reserve([f.Request("busy", Held)], fresh => [(fresh[0], "busytoken0000", null, null)]);
        using (DaemonLock.TryAcquire(f.Scheduler.Paths.SubmitLock("busytoken0000")))
        {
            Assert.Equal(0, f.Scheduler.RecoverOrphans());
            Assert.True(f.Scheduler.Store.All().Single().IsSubmitting);
            Assert.Equal("-", f.Scheduler.Submit([f.Request("busy", Held)]).Single().JobId); // it waits for its submitter
        }
        Assert.Equal(1, f.Scheduler.RecoverOrphans()); // the submitter is gone (its lock is free) and sbatch never ran
        Assert.Empty(f.Scheduler.Store.All());
    }

    [Fact]
    public void KillingSubmittersAtAnyPointLeavesNoUntrackedJobAndNoXpTwice()
    {
        using var f = new SlurmFixture(o => o with { UseArrays = false });
        const int n = 6;
        var random = new Random(11);
        for (int round = 0; round < 8; round++)
        {
            using var submitter = Process.Start(Path.Combine(SlurmFixture.WorkerBuild, "SlurmTestWorker"), ["submit", f.Outputs, f.Dir, n.ToString()]);
            Thread.Sleep(random.Next(150, 900));
            submitter.Kill(); // SIGKILL, wherever it is: before, during or after its sbatch calls
            submitter.WaitForExit();
        }
        var left = f.Scheduler.Store.All();
        output.WriteLine($"left by the killed submitters: {left.Count(r => r.IsSubmitting)} rows SUBMITTING, {left.Count(r => !r.IsSubmitting)} with an id, " +
            $"{Directory.GetDirectories(f.Scheduler.Paths.Folder + "/slurm").Length} submission folders");
        var held = new Resources(Cpus: 1) { Sbatch = ["--hold"] };
        var jobs = f.Scheduler.Submit([.. Enumerable.Range(0, n).Select(i => new JobRequest($"k{i}", [], f.Dir, f.Outputs, Path.Combine(f.Outputs, "xps", $"k{i}"), held))]);

        var rows = f.Scheduler.Store.All();
        Assert.Equal(n, rows.Count); // one job per XP, every one with its Slurm id
        Assert.All(rows, r => Assert.Matches(@"^\d+$", r.SlurmId));
        // Every job Slurm holds from any of these submissions (a folder per sbatch attempt) is one the store knows.
        var names = Directory.GetDirectories(f.Scheduler.Paths.Folder + "/slurm").Select(d => SlurmPaths.JobName(Path.GetFileName(d)));
        var inSlurm = new SlurmCommands().Run("squeue", ["-h", "--name", string.Join(',', names), "-o", "%i"]).Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(rows.Select(r => r.SlurmId).Order(), inSlurm.Order());
    }

    /// <summary>Reserves the XP under a fresh token and, optionally, runs sbatch on its script: no id is recorded, no lock held.</summary>
    static string HalfSubmit(SlurmFixture f, string sig, bool runSbatch)
    {
        string token = Guid.NewGuid().ToString("N")[..12];
        var request = f.Request(sig, Held);
        f.Scheduler.Store.Reserve([request], fresh => [(fresh[0], token, null, null)]);
        if (runSbatch)
        {
            var script = SlurmScript.Build(f.Scheduler.Paths, token, request.Resources, [new(request.Folder, ["/bin/true"])], array: false, 90, f.Dir);
            Directory.CreateDirectory(f.Scheduler.Paths.Submission(token));
            File.WriteAllText(f.Scheduler.Paths.Script(token), script);
            new SlurmCommands().Run("sbatch", ["--parsable", f.Scheduler.Paths.Script(token)]);
        }
        return token;
    }
}
