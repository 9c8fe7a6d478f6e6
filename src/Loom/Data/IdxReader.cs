using System.Buffers.Binary;
using System.IO.Compression;

namespace Loom.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (gzip-compressed or not): a big-endian header
/// `0x00 0x00 type ndims`, one int32 per dimension, then the raw bytes. Only unsigned bytes (type 0x08)
/// are used by these data sets. Checks the magic number, the expected rank and inner dimensions, and that
/// the payload is exactly as long as the header says.
/// </summary>
public static class IdxReader
{
    public sealed record IdxArray(int[] Shape, byte[] Data)
    {
        public int Count => Shape[0];
    }

    /// <param name="expectedShape">Expected dimensions after the first (the count); empty for labels.</param>
    public static IdxArray Read(string path, int[] expectedShape)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: file not found");
        byte[] raw;
        try
        {
            using var file = File.OpenRead(path);
            Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            // gzip's trailer holds the uncompressed size (mod 2^32): read straight into an array of that size
            // instead of growing a MemoryStream and copying it (tens of MB of garbage per file otherwise).
            int? size = stream is GZipStream ? GzipUncompressedSize(file) : (int)file.Length;
            using var memory = size is int n ? new MemoryStream(n) : new MemoryStream();
            stream.CopyTo(memory);
            raw = memory.Length == memory.Capacity ? memory.GetBuffer() : memory.ToArray();
        }
        catch (InvalidDataException e) { throw new DataException($"{path}: not a valid gzip file ({e.Message})"); }
        catch (EndOfStreamException) { throw new DataException($"{path}: truncated gzip stream"); }
        return Parse(path, raw, expectedShape);
    }

    static int? GzipUncompressedSize(FileStream file)
    {
        if (file.Length < 18) return null;
        long position = file.Position;
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Position = position;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return size is > 0 and <= 256 << 20 ? (int)size : null; // a damaged trailer must not cause a huge allocation
    }

    public static IdxArray Parse(string path, byte[] raw, int[] expectedShape)
    {
        if (raw.Length < 4) throw new DataException($"{path}: {raw.Length} bytes, too short for an IDX header");
        if (raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08)
            throw new DataException($"{path}: bad IDX magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(raw):x8} (expected 0x0000080{expectedShape.Length + 1}, unsigned bytes)");
        int rank = raw[3];
        if (rank != expectedShape.Length + 1)
            throw new DataException($"{path}: IDX file has {rank} dimensions, expected {expectedShape.Length + 1}");
        int headerLength = 4 + 4 * rank;
        if (raw.Length < headerLength) throw new DataException($"{path}: truncated IDX header");
        var shape = new int[rank];
        long expectedBytes = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(raw.AsSpan(4 + 4 * d));
            if (shape[d] < 0) throw new DataException($"{path}: negative dimension {shape[d]}");
            if (d > 0 && shape[d] != expectedShape[d - 1])
                throw new DataException($"{path}: dimension {d} is {shape[d]}, expected {expectedShape[d - 1]}");
            expectedBytes *= shape[d];
        }
        long actual = raw.Length - headerLength;
        if (actual != expectedBytes)
            throw new DataException($"{path}: {(actual < expectedBytes ? "truncated" : "too long")}: header says {expectedBytes} bytes of data, file has {actual}");
        return new IdxArray(shape, raw.AsSpan(headerLength).ToArray());
    }
}
