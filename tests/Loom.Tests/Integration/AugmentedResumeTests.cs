using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>
/// data.augment on (random crop with padding 4, horizontal flip) and 2 loader workers, on real Fashion-MNIST through the
/// real CLI: a run SIGKILLed after epoch 1 (or in the middle of epoch 2) and started again ends bit-identical to the
/// uninterrupted run — weights, optimizer state and history — because every draw is a pure function of
/// (seed, epoch, sample index), not of a generator's state at the crash.
/// </summary>
public sealed class AugmentedResumeTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly string[] Xp = ["seed=7", "data.augment.crop_padding=4", "data.augment.flip=true", "data.workers=2"];

    [Theory]
    [InlineData("epoch.ended@1")]
    [InlineData("train.step@40")] // 900 fitted images / 32 = 29 steps per epoch: step 40 is in epoch 2
    public void KilledAndResumedEndsBitExactWithTheUninterruptedRun(string crashAt)
    {
        string referenceOutputs = Path.Combine(cli.WorkDir, "reference");
        var reference = cli.Run(cli.Fast([.. Xp, "loom.outputs=" + referenceOutputs]));
        Assert.True(reference.ExitCode == 0, reference.Stderr);
        string referenceFolder = Directory.GetDirectories(Path.Combine(referenceOutputs, "xps")).Single();

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
        Assert.Contains("resumed after epoch 1", resumed.Stdout);
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();

        var (model, optimizer) = XpFiles.LastState(folder);
        var (referenceModel, referenceOptimizer) = XpFiles.LastState(referenceFolder);
        Assert.True(referenceModel.AsSpan().SequenceEqual(model), $"weights differ after a kill at {crashAt}");
        Assert.True(referenceOptimizer.AsSpan().SequenceEqual(optimizer), $"optimizer state differs after a kill at {crashAt}");
        Assert.Equal(XpFiles.HistoryWithoutTimings(referenceFolder), XpFiles.HistoryWithoutTimings(folder));
    }
}
