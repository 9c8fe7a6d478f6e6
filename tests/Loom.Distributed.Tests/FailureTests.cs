using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Loom.Distributed.Tests;

/// <summary>
/// A rank that dies ends the whole job: mpirun exits non-zero within 30 s, says which rank, and leaves no
/// rank process behind. Ranks spin in all-reduces (a training job's steady state) when one is killed.
/// </summary>
[Collection("mpi")]
public sealed class FailureTests(ITestOutputHelper output)
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_rank_killed_with_SIGKILL_ends_the_job_naming_the_rank()
    {
        using var job = new SpinningJob(2);
        var pids = job.WaitReady();
        var watch = Stopwatch.StartNew();
        Process.GetProcessById(pids[1]).Kill();  // SIGKILL
        int exit = job.WaitExit(Limit);
        output.WriteLine($"mpirun exited {exit} {watch.Elapsed.TotalSeconds:F1} s after SIGKILL of rank 1");
        Assert.NotEqual(0, exit);
        var failure = MpiFailure.Find(job.Output);
        Assert.NotNull(failure);
        Assert.Equal(1, failure.Rank);
        Assert.Contains("signal 9", failure.Reason);
        AssertGone(pids);
    }

    [Fact]
    public void Killing_mpirun_ends_its_ranks()
    {
        using var job = new SpinningJob(2);
        var pids = job.WaitReady();
        var watch = Stopwatch.StartNew();
        job.Process.Kill();  // SIGKILL of mpirun alone, not its tree
        AssertGone(pids);
        output.WriteLine($"ranks gone {watch.Elapsed.TotalSeconds:F1} s after SIGKILL of mpirun");
    }

    [Fact]
    public void A_rank_failing_before_the_first_collective_ends_the_job_naming_the_rank()
    {
        var result = RankProgram.Run(RankProgram.Mpirun(2, "spin", "throw-before", "1"), Limit);
        output.WriteLine($"mpirun exited {result.ExitCode} after {result.Elapsed.TotalSeconds:F1} s");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("rank 1: bad data file", result.Output);
        Assert.Equal(1, MpiFailure.Find(result.Output)?.Rank);
    }

    [Fact]
    public void A_rank_that_fails_after_joining_ends_the_job_instead_of_hanging()
    {
        // Its MPI_Finalize would wait forever for the ranks still in the all-reduce: End(1) exits instead.
        var result = RankProgram.Run(RankProgram.Mpirun(2, "spin", "error-after", "1"), Limit);
        output.WriteLine($"mpirun exited {result.ExitCode} after {result.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("rank 1: step failed", result.Output);
        Assert.Equal(new MpiFailure(1, "exited with status 1"), MpiFailure.Find(result.Output));
    }

    [Fact]
    public void Ranks_with_different_models_stop_with_an_error_instead_of_corrupting_or_hanging()
    {
        string file = Path.Combine(Path.GetTempPath(), $"loom-dp-{Guid.NewGuid():N}.bin");
        var result = RankProgram.Run(RankProgram.Mpirun(2, "train", "mismatch", "2", "12", "1", file), Limit);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the ranks hold different models", result.Output);
        Assert.False(File.Exists(file));
    }

    static void AssertGone(int[] pids)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (pids.Any(Alive) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        Assert.DoesNotContain(pids, Alive);
    }

    // A zombie (state Z) has ended; only its parent has not collected it yet.
    static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    /// <summary>The "spin" scenario under mpirun, its output collected as it comes.</summary>
    sealed class SpinningJob : IDisposable
    {
        readonly StringBuilder text = new();
        public Process Process { get; }

        public SpinningJob(int ranks)
        {
            Process = Process.Start(RankProgram.Mpirun(ranks, "spin"))!;
            Process.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
            Ranks = ranks;
        }

        int Ranks { get; }

        public string Output { get { lock (text) return text.ToString(); } }

        /// <summary>The ranks' process ids, once every rank has joined the all-reduces.</summary>
        public int[] WaitReady()
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while (DateTime.UtcNow < deadline)
            {
                var pids = new int[Ranks];
                int found = 0;
                foreach (var line in Output.Split('\n'))
                {
                    var parts = line.Trim().Split(' ');  // rank R pid P ready
                    if (parts is ["rank", var r, "pid", var p, "ready"]) { pids[int.Parse(r)] = int.Parse(p); found++; }
                }
                if (found == Ranks) return pids;
                if (Process.HasExited) break;
                Thread.Sleep(100);
            }
            throw new Xunit.Sdk.XunitException("the ranks did not start:\n" + Output);
        }

        public int WaitExit(TimeSpan limit)
        {
            if (!Process.WaitForExit(limit)) throw new Xunit.Sdk.XunitException($"mpirun still runs {limit.TotalSeconds} s after the kill");
            Process.WaitForExit();
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
