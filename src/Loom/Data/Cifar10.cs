namespace Loom.Data;

/// <summary>CIFAR-10 (50k train, 10k test, 3×32×32, 10 classes) from its binary-format folder
/// (`cifar-10-batches-bin`: data_batch_1..5.bin, test_batch.bin).</summary>
public static class Cifar10
{
    public static RawImages Read(string root)
    {
        if (!Directory.Exists(root)) throw new DataException($"{root}: data folder not found (data.root; expected CIFAR-10's binary files there)");
        var (trainPixels, trainLabels) = Cifar10Reader.Read(Cifar10Reader.TrainFiles.Select(f => Path.Combine(root, f)));
        var (testPixels, testLabels) = Cifar10Reader.Read(Cifar10Reader.TestFiles.Select(f => Path.Combine(root, f)));
        return new RawImages(trainPixels, trainLabels, testPixels, testLabels, Channels: 3, Height: 32, Width: 32, Classes: 10);
    }
}
