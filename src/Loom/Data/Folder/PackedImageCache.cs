using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Loom.Experiments;
using Loom.IO;

namespace Loom.Data.Folder;

/// <summary>
/// The file `data.stream` decodes an image folder into, once, and then maps (<see cref="StreamedFolder"/>):
/// <code>
///   header, 4096 bytes (little-endian): magic "LOOMIMGS", int32 format version, int32 C, H, W, int32 train count,
///     int32 test count, int32 metadata length, 32 bytes fingerprint of the source files (SHA-256), 32 bytes SHA-256
///     of everything after the header; zeros to 4096 (the pixels start on a page)
///   train pixels (N×C×H×W), test pixels, train labels (one byte each), test labels
///   metadata: UTF-8 JSON {"classes": [...], "skipped": [{"path": ..., "reason": ...}]}
/// </code>
/// Written while the folder decodes (<see cref="Write"/>: a chunk of images in memory at a time, never the whole
/// set) to a temporary file renamed into place when complete (<see cref="AtomicFile"/>): a build that fails or is
/// killed leaves no cache file. <see cref="Open"/> checks the header, the size, the fingerprint and the checksum
/// before it maps anything.
/// </summary>
public static class PackedImageCache
{
    public const int HeaderSize = 4096;
    public const int FormatVersion = 1;
    static readonly byte[] Magic = "LOOMIMGS"u8.ToArray();
    const int FingerprintAt = 40, ChecksumAt = 72;

    /// <summary>What the header says (and the metadata at the end).</summary>
    public sealed record Contents(int Channels, int Height, int Width, byte[] TrainLabels, byte[] TestLabels,
        IReadOnlyList<string> Classes, IReadOnlyList<SkippedFile> Skipped)
    {
        public long ImageSize => (long)Channels * Height * Width;
        public long TrainPixelsAt => HeaderSize;
        public long TestPixelsAt => HeaderSize + TrainLabels.Length * ImageSize;
        public long PayloadBytes => (TrainLabels.Length + (long)TestLabels.Length) * (ImageSize + 1);
    }

    /// <summary>Receives the bytes of one split's images, in order, as they are decoded.</summary>
    public delegate void PayloadWriter(ReadOnlySpan<byte> bytes);

    /// <summary>Writes the cache at <paramref name="path"/>: <paramref name="decodeTrain"/> and <paramref name="decodeTest"/>
    /// write their images through the writer they get and return their labels; <paramref name="skipped"/> is read after
    /// both. An exception from either leaves no file. Returns what <see cref="Open"/> would read from the file.</summary>
    public static Contents Write(string path, int channels, int height, int width, byte[] fingerprint, IReadOnlyList<string> classes,
        Func<PayloadWriter, byte[]> decodeTrain, Func<PayloadWriter, byte[]> decodeTest, IReadOnlyList<SkippedFile> skipped)
    {
        byte[] trainLabels = [], testLabels = [];
        AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[HeaderSize]); // the counts and the checksum are known at the end
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                stream.Write(bytes);
                hash.AppendData(bytes);
            }
            trainLabels = decodeTrain(Put);
            testLabels = decodeTest(Put);
            Put(trainLabels);
            Put(testLabels);
            var metadata = JsonSerializer.SerializeToUtf8Bytes(new Metadata(classes.ToArray(),
                skipped.Select(f => new MetadataFile(f.Path, f.Reason)).ToArray()), MetadataJson);
            Put(metadata);
            var header = new byte[HeaderSize];
            Magic.CopyTo(header, 0);
            int[] fields = [FormatVersion, channels, height, width, trainLabels.Length, testLabels.Length, metadata.Length];
            for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8 + 4 * i), fields[i]);
            fingerprint.CopyTo(header, FingerprintAt);
            hash.GetHashAndReset().CopyTo(header, ChecksumAt);
            stream.Position = 0;
            stream.Write(header);
        });
        return new Contents(channels, height, width, trainLabels, testLabels, classes, skipped.ToArray());
    }

    /// <summary>The cache's contents when it is whole and made from the files of <paramref name="fingerprint"/>; else
    /// null and, in <paramref name="problem"/>, what is wrong with it (for the warning that it is rebuilt).</summary>
    public static Contents? Open(string path, byte[] fingerprint, out string problem)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var header = new byte[HeaderSize];
        if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header.AsSpan(0, 8).SequenceEqual(Magic))
            return Fail(out problem, "not a Loom image cache (no LOOMIMGS header)");
        int Field(int i) => BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8 + 4 * i));
        if (Field(0) != FormatVersion) return Fail(out problem, $"format version {Field(0)}, this Loom reads {FormatVersion}");
        int channels = Field(1), height = Field(2), width = Field(3), train = Field(4), test = Field(5), metadataLength = Field(6);
        if (channels <= 0 || height <= 0 || width <= 0 || train < 0 || test < 0 || metadataLength < 0) return Fail(out problem, "a damaged header");
        long labelsAt = HeaderSize + (train + (long)test) * channels * height * width;
        long expected = labelsAt + train + test + metadataLength;
        if (stream.Length != expected) return Fail(out problem, $"{stream.Length} bytes where its header makes {expected} (truncated or damaged)");
        if (!header.AsSpan(FingerprintAt, 32).SequenceEqual(fingerprint)) return Fail(out problem, "made from other files (the folder's files, sizes or times changed)");
        // The checksum reads the payload once, sequentially: at disk speed, and it leaves the pages cached for training.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var tail = new byte[train + test + metadataLength];
        for (long at = HeaderSize; at < expected;)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, expected - at));
            if (n == 0) return Fail(out problem, "shorter than its size while read");
            hash.AppendData(buffer, 0, n);
            long overlap = Math.Max(at, labelsAt);
            if (at + n > labelsAt) buffer.AsSpan((int)(overlap - at), (int)(at + n - overlap)).CopyTo(tail.AsSpan((int)(overlap - labelsAt)));
            at += n;
        }
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(header.AsSpan(ChecksumAt, 32))) return Fail(out problem, "checksum mismatch (its bytes changed since it was written)");
        Metadata? metadata;
        try { metadata = JsonSerializer.Deserialize<Metadata>(tail.AsSpan(train + test), MetadataJson); }
        catch (JsonException) { metadata = null; }
        if (metadata?.Classes is null || metadata.Skipped is null) return Fail(out problem, "unreadable metadata");
        problem = "";
        return new Contents(channels, height, width, tail[..train], tail[train..(train + test)], metadata.Classes,
            metadata.Skipped.Select(f => new SkippedFile(f.Path, f.Reason)).ToArray());
    }

    static Contents? Fail(out string problem, string why)
    {
        problem = why;
        return null;
    }

    sealed record Metadata(string[] Classes, MetadataFile[] Skipped);
    sealed record MetadataFile(string Path, string Reason);
    static readonly JsonSerializerOptions MetadataJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
