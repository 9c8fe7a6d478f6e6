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
        var spinners = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount - 1))
            .Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]))!).ToList();
        try
        {
            // Two threads, several seconds of steps: the governor reads the load every 0.5 s and acts on two readings.
            var r = cli.Run(["train", "data.limit=4000", "epochs=1", "progress=none", "threads=2", $"loom.outputs={cli.Outputs}", .. more]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
            string log = File.ReadAllText(Path.Combine(folder, "train.log"));
            Directory.Delete(cli.Outputs, recursive: true);
            return log;
        }
        finally
        {
            foreach (var spinner in spinners) { spinner.Kill(); spinner.WaitForExit(); spinner.Dispose(); }
        }
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
