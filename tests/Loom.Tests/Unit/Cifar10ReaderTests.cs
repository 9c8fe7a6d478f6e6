using Loom.Data;

namespace Loom.Tests.Unit;

/// <summary>CIFAR-10 cannot be downloaded here: these files are written in its binary format by the test.</summary>
public sealed class Cifar10ReaderTests
{
    static string WriteBatch(string dir, string name, params byte[] labels)
    {
        var bytes = new byte[labels.Length * Cifar10Reader.RecordBytes];
        for (int r = 0; r < labels.Length; r++)
        {
            int offset = r * Cifar10Reader.RecordBytes;
            bytes[offset] = labels[r];
            for (int p = 0; p < Cifar10Reader.ImageBytes; p++) bytes[offset + 1 + p] = (byte)((r * 7 + p / 1024) % 256); // channel index encodes
        }
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsRecordsAcrossFiles()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        var a = WriteBatch(dir, "data_batch_1.bin", 3, 9);
        var b = WriteBatch(dir, "data_batch_2.bin", 0);
        var (pixels, labels) = Cifar10Reader.Read([a, b]);
        Assert.Equal(new byte[] { 3, 9, 0 }, labels);
        Assert.Equal(3 * Cifar10Reader.ImageBytes, pixels.Length);
        Assert.Equal(7 + 2, pixels[Cifar10Reader.ImageBytes + 2048]); // record 1, blue plane
    }

    [Fact]
    public void RejectsTruncatedFilesAndBadLabels()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string truncated = WriteBatch(dir, "t.bin", 1, 2);
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..5000]);
        Assert.Contains("t.bin: 5000 bytes is not a whole number", Assert.Throws<DataException>(() => Cifar10Reader.Read([truncated])).Message);
        string badLabel = WriteBatch(dir, "l.bin", 1, 12);
        Assert.Contains("record 1 has label 12", Assert.Throws<DataException>(() => Cifar10Reader.Read([badLabel])).Message);
    }
}
