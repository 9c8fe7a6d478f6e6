using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>
/// A run killed with SIGKILL at any moment, then started again, ends bit-identical to a run that was never
/// interrupted: same weights, same optimizer state, same history (wall-clock fields aside).
/// </summary>
public sealed class ResumeTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly string[] Xp = ["seed=7", "model.dropout=0.25"]; // dropout: the RNG state must be restored too

    (byte[] Model, byte[] Optimizer, string History) Reference()
    {
        var run = cli.Run(cli.Fast([.. Xp, "loom.outputs=" + Path.Combine(cli.WorkDir, "reference")]));
        Assert.True(run.ExitCode == 0, run.Stderr);
        string folder = Directory.GetDirectories(Path.Combine(cli.WorkDir, "reference", "xps")).Single();
        var (model, optimizer) = XpFiles.LastState(folder);
        return (model, optimizer, XpFiles.HistoryWithoutTimings(folder));
    }

    string InterruptedThenResumed(string crashAt)
    {
        var info = cli.StartInfo(cli.Fast(Xp));
        info.Environment["LOOM_TEST_ONLY_SIGKILL_AT"] = crashAt;
        using (var crashed = Process.Start(info)!)
        {
            crashed.StandardOutput.ReadToEnd();
            crashed.WaitForExit();
            Assert.Equal(137, crashed.ExitCode); // 128 + SIGKILL
        }
        var resumed = cli.Run(cli.Fast(Xp));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resumed after epoch", resumed.Stdout);
        return Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
    }

    /// <summary>The old, generic name of the crash variable, left in a user's environment, no longer kills a run.</summary>
    [Fact]
    public async Task TheFormerCrashVariableNoLongerKillsARun()
    {
        var info = cli.StartInfo(cli.Fast(Xp));
        info.Environment["LOOM_CRASH_AT"] = "train.step";
        using var run = Process.Start(info)!;
        var stderr = run.StandardError.ReadToEndAsync();
        run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {await stderr}");
    }

    [Fact]
    public void KilledAtEveryCheckpointStageResumesBitExact()
    {
        var reference = Reference();
        foreach (var crashAt in new[] { "checkpoint.rotated@2", "checkpoint.partial@2", "checkpoint.written@1", "epoch.ended@2" })
        {
            string folder = InterruptedThenResumed(crashAt);
            var (model, optimizer) = XpFiles.LastState(folder);
            Assert.True(reference.Model.AsSpan().SequenceEqual(model), $"weights differ after a kill at {crashAt}");
            Assert.True(reference.Optimizer.AsSpan().SequenceEqual(optimizer), $"optimizer state differs after a kill at {crashAt}");
            Assert.Equal(reference.History, XpFiles.HistoryWithoutTimings(folder));
            Assert.Empty(Directory.GetFiles(folder, ".*.tmp-*")); // stray temporaries are cleaned on resume
            Directory.Delete(cli.Outputs, recursive: true);
        }
    }

    [Fact]
    public void KilledAtRandomMomentsResumesBitExact()
    {
        var clock = Stopwatch.StartNew();
        var reference = Reference();
        var duration = clock.Elapsed; // kill moments are drawn within a whole run's time on this machine, fast or slow
        var random = new Random(1234);
        int landed = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            using (var process = Process.Start(cli.StartInfo(cli.Fast(Xp)))!)
            {
                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                Thread.Sleep(duration * (0.3 + 0.6 * random.NextDouble()));
                if (!process.HasExited)
                {
                    process.Kill(); // SIGKILL
                    landed++;
                }
                process.WaitForExit();
            }
        }
        // A kill that never lands tests nothing: at least one must have stopped a running XP.
        Assert.True(landed > 0, $"no kill landed: every attempt finished within {duration.TotalSeconds:F1} s × 0.3–0.9");
        var resumed = cli.Run(cli.Fast(Xp));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        var (model, optimizer) = XpFiles.LastState(folder);
        Assert.True(reference.Model.AsSpan().SequenceEqual(model), "weights differ after random kills");
        Assert.True(reference.Optimizer.AsSpan().SequenceEqual(optimizer));
        Assert.Equal(reference.History, XpFiles.HistoryWithoutTimings(folder));
    }

    [Fact]
    public void CorruptLastCheckpointFallsBackToPreviousAndStillEndsBitExact()
    {
        var reference = Reference();
        var info = cli.StartInfo(cli.Fast(Xp));
        info.Environment["LOOM_TEST_ONLY_SIGKILL_AT"] = "epoch.ended@2";
        using (var crashed = Process.Start(info)!) { crashed.StandardOutput.ReadToEnd(); crashed.WaitForExit(); }
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        FlipByte(Path.Combine(folder, "checkpoint.last"));

        var resumed = cli.Run(cli.Fast(Xp));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("falling back to checkpoint.prev", resumed.Stderr);
        Assert.Contains("checksum mismatch", resumed.Stderr);
        var (model, _) = XpFiles.LastState(folder);
        Assert.True(reference.Model.AsSpan().SequenceEqual(model));
        Assert.Equal(reference.History, XpFiles.HistoryWithoutTimings(folder));
    }

    [Fact]
    public void AllCheckpointsCorruptStopsWithOneLineErrorAndDeletesNothing()
    {
        var run = cli.Run(cli.Fast(Xp));
        Assert.Equal(0, run.ExitCode);
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        FlipByte(Path.Combine(folder, "checkpoint.last"));
        File.WriteAllBytes(Path.Combine(folder, "checkpoint.prev"), [1, 2, 3]);
        var before = Directory.GetFiles(folder).Select(f => (f, new FileInfo(f).Length)).OrderBy(x => x.f).ToList();

        var again = cli.Run(cli.Fast(Xp));
        Assert.Equal(1, again.ExitCode);
        var error = again.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.StartsWith("loom: error: no valid checkpoint in", error);
        Assert.Contains("restart=true", error);
        Assert.DoesNotContain("   at ", again.Stderr); // no stack trace
        var after = Directory.GetFiles(folder).Select(f => (f, new FileInfo(f).Length)).OrderBy(x => x.f).ToList();
        Assert.Equal(before.Where(x => !x.f.EndsWith("train.log")), after.Where(x => !x.f.EndsWith("train.log")));
    }

    static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
