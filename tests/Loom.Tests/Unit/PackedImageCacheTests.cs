using Loom.Data.Folder;
using Loom.Experiments;

namespace Loom.Tests.Unit;

/// <summary>
/// The packed image cache of `data.stream` on real files: what is written reads back (labels, classes, skipped files)
/// and maps back byte for byte, a cache of other files is refused, and a write that fails leaves nothing behind.
/// </summary>
public sealed class PackedImageCacheTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("loom-packed-").FullName;
    public void Dispose() => Directory.Delete(folder, recursive: true);

    static readonly byte[] Fingerprint = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    /// <summary>Images of 2×3×5 bytes whose bytes count up from <paramref name="seed"/>, written in chunks of 7 images.</summary>
    static byte[] Images(int count, int seed) => Enumerable.Range(0, count * 30).Select(i => (byte)(seed + i * 7)).ToArray();

    static byte[] WriteImages(PackedImageCache.PayloadWriter write, byte[] images)
    {
        for (int at = 0; at < images.Length; at += 7 * 30) write(images.AsSpan(at, Math.Min(7 * 30, images.Length - at)));
        return Enumerable.Range(0, images.Length / 30).Select(i => (byte)(i % 3)).ToArray();
    }

    [Fact]
    public void WhatIsWrittenReadsAndMapsBack()
    {
        string path = Path.Combine(folder, "set.images");
        var (train, test) = (Images(50, 1), Images(9, 100));
        var skipped = new[] { new SkippedFile("/data/dog/notes.png", "the image does not decode") };
        var written = PackedImageCache.Write(path, 2, 3, 5, Fingerprint, ["cat", "dog", "émeu"], w => WriteImages(w, train), w => WriteImages(w, test), skipped);

        var read = PackedImageCache.Open(path, Fingerprint, out string problem);
        Assert.NotNull(read);
        Assert.Equal("", problem);
        Assert.Equal((2, 3, 5), (read.Channels, read.Height, read.Width));
        Assert.Equal(written.TrainLabels, read.TrainLabels);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (byte)(i % 3)), read.TestLabels);
        Assert.Equal(["cat", "dog", "émeu"], read.Classes);
        Assert.Equal(skipped, read.Skipped);
        Assert.Equal(PackedImageCache.HeaderSize + 50 * 30, read.TestPixelsAt);

        var trainMapped = new MappedPixels(path, read.TrainPixelsAt, train.Length);
        var testMapped = new MappedPixels(path, read.TestPixelsAt, test.Length);
        trainMapped.Retain();
        testMapped.Retain();
        Assert.Equal(train, trainMapped.ToArray());
        Assert.Equal(test, testMapped.ToArray());
        Assert.Equal(train.AsSpan(30 * 17, 30).ToArray(), trainMapped.Permuted([17, 3], 30).AsSpan(0, 30).ToArray());
        trainMapped.Release();
        testMapped.Release();
    }

    [Fact]
    public void ACacheOfOtherFilesOrADamagedOneIsRefused()
    {
        string path = Path.Combine(folder, "set.images");
        PackedImageCache.Write(path, 2, 3, 5, Fingerprint, ["a"], w => WriteImages(w, Images(4, 0)), w => WriteImages(w, Images(2, 0)), []);
        var other = Fingerprint.Reverse().ToArray();
        Assert.Null(PackedImageCache.Open(path, other, out string problem));
        Assert.StartsWith("made from other files", problem);

        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1; // the metadata's last byte
        File.WriteAllBytes(path, bytes);
        Assert.Null(PackedImageCache.Open(path, Fingerprint, out problem));
        Assert.StartsWith("checksum mismatch", problem);

        File.WriteAllBytes(path, bytes[..100]);
        Assert.Null(PackedImageCache.Open(path, Fingerprint, out problem));
        Assert.StartsWith("not a Loom image cache", problem);
    }

    [Fact]
    public void AWriteThatFailsLeavesNothing()
    {
        string path = Path.Combine(folder, "set.images");
        var failure = Assert.Throws<InvalidDataException>(() => PackedImageCache.Write(path, 2, 3, 5, Fingerprint, ["a"],
            w => WriteImages(w, Images(40, 0)), _ => throw new InvalidDataException("image 3 does not decode"), []));
        Assert.Equal("image 3 does not decode", failure.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }
}
