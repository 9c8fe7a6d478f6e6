using System.Buffers.Binary;
using Loom.Data;

namespace Loom.Tests.Unit;

public sealed class IdxReaderTests
{
    static byte[] Idx(byte type, int[] dims, int payload)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        for (int i = 0; i < payload; i++) bytes[4 + 4 * dims.Length + i] = (byte)(i % 251);
        return bytes;
    }

    [Fact]
    public void ParsesImagesAndLabels()
    {
        var images = IdxReader.Parse("x", Idx(0x08, [3, 2, 2], 12), [2, 2]);
        Assert.Equal([3, 2, 2], images.Shape);
        Assert.Equal(3, images.Count);
        Assert.Equal(11, images.Data[11]);
        var labels = IdxReader.Parse("y", Idx(0x08, [5], 5), []);
        Assert.Equal(5, labels.Count);
    }

    [Theory]
    [InlineData(0x0D, new[] { 3, 2, 2 }, 12, "bad IDX magic number 0x00000d03")]
    [InlineData(0x08, new[] { 3, 2, 2 }, 11, "truncated: header says 12 bytes of data, file has 11")]
    [InlineData(0x08, new[] { 3, 2, 2 }, 13, "too long: header says 12 bytes of data, file has 13")]
    [InlineData(0x08, new[] { 3, 2, 3 }, 18, "dimension 2 is 3, expected 2")]
    [InlineData(0x08, new[] { 12 }, 12, "IDX file has 1 dimensions, expected 3")]
    public void RejectsBadFilesNamingTheProblem(byte type, int[] dims, int payload, string expected)
    {
        var e = Assert.Throws<DataException>(() => IdxReader.Parse("/d/f.idx", Idx(type, dims, payload), [2, 2]));
        Assert.StartsWith("/d/f.idx: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void ReadsGzipFilesAndReportsMissingOnes()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        string path = Path.Combine(dir, "labels.gz");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(Idx(0x08, [4], 4));
        Assert.Equal(4, IdxReader.Read(path, []).Count);
        Assert.Contains("file not found", Assert.Throws<DataException>(() => IdxReader.Read(Path.Combine(dir, "nope.gz"), [])).Message);
    }
}
