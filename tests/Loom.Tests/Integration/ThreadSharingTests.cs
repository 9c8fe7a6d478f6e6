using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>
/// A real `loom train` beside a process that keeps a core busy gives that core up (libtorch's spinning OpenMP
/// threads would otherwise slow both: docs/benchmarks.md), and `adaptive_threads=false` keeps its count.
/// </summary>
public sealed class ThreadSharingTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    /// <summary>Trains with 2 threads while spinners keep all cores but one busy (one spinner on 2 cores, 15 on 16):
    /// on any machine the governor then has exactly one core to use.</summary>
    string TrainOnABusyMachine(params string[] more)
    {
        using var busy = new Spinners();
        // Two threads, several seconds of steps: the governor reads the load every 0.5 s and acts on two readings.
        var r = cli.Run(["train", "data.limit=4000", "epochs=1", "progress=none", "threads=2", $"loom.outputs={cli.Outputs}", .. more]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        string log = File.ReadAllText(Path.Combine(folder, "train.log"));
        Directory.Delete(cli.Outputs, recursive: true);
        return log;
    }

    /// <summary>Shell loops that keep all cores but one busy, killed (the processes started, not a subshell) on dispose.</summary>
    sealed class Spinners : IDisposable
    {
        readonly List<Process> processes = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount - 1))
            .Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]))!).ToList();

        public void Dispose()
        {
            foreach (var spinner in processes) { spinner.Kill(); spinner.WaitForExit(); spinner.Dispose(); }
        }
    }

    /// <summary>
    /// The rule `loom info` states: with `adaptive_threads=false` a run killed after its first checkpoint and resumed
    /// on a busy machine ends bit-exact with a run never interrupted on an idle one (at the same, fixed, thread count).
    /// </summary>
    [Fact]
    public void AFixedThreadCountResumesBitExactOnABusyMachine()
    {
        string[] xp = ["train", "data.limit=1000", "epochs=2", "progress=none", "model.channels=8", "threads=2", "adaptive_threads=false"];
        string reference = Path.Combine(cli.WorkDir, "reference");
        var run = cli.Run([.. xp, $"loom.outputs={reference}"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        string referenceFolder = Directory.GetDirectories(Path.Combine(reference, "xps")).Single();

        var info = cli.StartInfo([.. xp, $"loom.outputs={cli.Outputs}"]);
        info.Environment["LOOM_TEST_ONLY_SIGKILL_AT"] = "checkpoint.written@1";
        using (var crashed = Process.Start(info)!)
        {
            crashed.StandardOutput.ReadToEnd();
            crashed.WaitForExit();
            Assert.Equal(137, crashed.ExitCode);
        }
        using (new Spinners())
        {
            var resumed = cli.Run([.. xp, $"loom.outputs={cli.Outputs}"]);
            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
            Assert.Contains("resumed after epoch 1", resumed.Stdout);
        }
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        Assert.True(XpFiles.LastState(referenceFolder).Model.AsSpan().SequenceEqual(XpFiles.LastState(folder).Model), "weights differ");
        Assert.Equal(XpFiles.HistoryWithoutTimings(referenceFolder), XpFiles.HistoryWithoutTimings(folder));

        var described = cli.Run(["info", .. xp[1..]]);
        Assert.Contains("resume: bit-exact (threads fixed at 2: adaptive_threads: false)", described.Stdout);
        Assert.Contains("adaptive_threads=false keeps 2", cli.Run(["info", "threads=2"]).Stdout);
    }

    /// <summary>One test for both: `adaptive_threads=false` keeping its count means something only where the
    /// adaptive run, in the same conditions, gives a thread up.</summary>
    [Fact]
    public void ABusyMachineTakesAThreadUnlessTheCountIsFixed()
    {
        Assert.Matches(@"threads 2 → 1: other processes keep \d+\.\d of \d+ cores busy", TrainOnABusyMachine());
        Assert.DoesNotContain("threads 2 →", TrainOnABusyMachine("adaptive_threads=false"));
    }
}
