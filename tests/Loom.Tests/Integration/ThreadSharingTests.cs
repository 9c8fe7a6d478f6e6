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

    string TrainBesideASpinner(params string[] more)
    {
        using var spinner = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "while True: pass"]))!;
        try
        {
            // Two threads, several seconds of steps: the governor reads the load every 0.5 s and acts on two readings.
            var r = cli.Run(["train", "data.limit=4000", "epochs=1", "progress=none", "threads=2", $"loom.outputs={cli.Outputs}", .. more]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
            return File.ReadAllText(Path.Combine(folder, "train.log"));
        }
        finally
        {
            spinner.Kill();
            spinner.WaitForExit();
        }
    }

    [Fact]
    public void TrainingBesideABusyCoreDropsToOneThread()
        => Assert.Matches(@"threads 2 → 1: other processes keep \d\.\d of \d+ cores busy", TrainBesideASpinner());

    [Fact]
    public void FixedThreadsAreKept()
        => Assert.DoesNotContain("threads 2 →", TrainBesideASpinner("adaptive_threads=false"));
}
