namespace Loom.Tests.Integration;

/// <summary>The real CIFAR-10 cannot be downloaded here: the test writes a small folder in its binary format
/// (random pixels, labels cycling 0..9) and trains on it through the CLI, 3-channel 32×32 end to end.</summary>
public sealed class Cifar10Tests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    [Fact]
    public void TrainsOnCifar10BinaryFiles()
    {
        string root = Path.Combine(cli.WorkDir, "cifar-10-batches-bin");
        Directory.CreateDirectory(root);
        var random = new Random(5);
        foreach (var name in Loom.Data.Cifar10Reader.TrainFiles.Append("test_batch.bin"))
        {
            var bytes = new byte[20 * Loom.Data.Cifar10Reader.RecordBytes];
            random.NextBytes(bytes);
            for (int r = 0; r < 20; r++) bytes[r * Loom.Data.Cifar10Reader.RecordBytes] = (byte)(r % 10);
            File.WriteAllBytes(Path.Combine(root, name), bytes);
        }
        var run = cli.Run(cli.Fast("data=cifar10", "data.root=" + root, "epochs=1"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("train 90, valid 10, test 20", run.Stderr);

        File.WriteAllBytes(Path.Combine(root, "test_batch.bin"), new byte[100]);
        var bad = cli.Run(cli.Fast("data=cifar10", "data.root=" + root, "epochs=1", "restart=true"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("test_batch.bin: 100 bytes is not a whole number of 3073-byte CIFAR-10 records", bad.Stderr);
    }
}
