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

    /// <summary><paramref name="expectedShape"/>: the dimensions expected after the first (the count); empty for labels.</summary>
    /// <remarks>A gzip file is read from its decompressed copy in <see cref="DecompressedCache"/> when there is one, and
    /// leaves one behind when there is not.</remarks>
    public static IdxArray Read(string path, int[] expectedShape)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: file not found");
        bool gzip = path.EndsWith(".gz", StringComparison.Ordinal);
        string? copy = gzip ? DecompressedCache.PathFor(path) : null;
        if (copy is not null && File.Exists(copy))
        {
            try
            {
                using var cached = File.OpenRead(copy);
                return Parse(copy, cached, expectedShape);
            }
            catch (Exception e) when (e is DataException or IOException or UnauthorizedAccessException)
            {
                DecompressedCache.Forget(copy); // damaged or unreadable: read the source and make a new copy
            }
        }
        IdxArray array;
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            array = Parse(path, stream, expectedShape);
        }
        catch (InvalidDataException e) { throw new DataException($"{path}: not a valid gzip file ({e.Message})"); }
        if (copy is not null) DecompressedCache.Store(copy, Header(array.Shape), array.Data);
        return array;
    }

    /// <summary>The IDX header of an unsigned-byte array of <paramref name="shape"/>.</summary>
    static byte[] Header(int[] shape)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = 0x08;
        header[3] = (byte)shape.Length;
        for (int d = 0; d < shape.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), shape[d]);
        return header;
    }

    public static IdxArray Parse(string path, byte[] raw, int[] expectedShape) => Parse(path, new MemoryStream(raw, writable: false), expectedShape);

    /// <summary>Reads the header, then the payload straight into an array of the size the header gives: the
    /// (decompressed) file is never held twice.</summary>
    static IdxArray Parse(string path, Stream stream, int[] expectedShape)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4) throw new DataException($"{path}: {got} bytes, too short for an IDX header");
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08)
            throw new DataException($"{path}: bad IDX magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):x8} (expected 0x0000080{expectedShape.Length + 1}, unsigned bytes)");
        int rank = magic[3];
        if (rank != expectedShape.Length + 1)
            throw new DataException($"{path}: IDX file has {rank} dimensions, expected {expectedShape.Length + 1}");
        var dims = new byte[4 * rank];
        if (stream.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false) < dims.Length) throw new DataException($"{path}: truncated IDX header");
        var shape = new int[rank];
        long expectedBytes = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(dims.AsSpan(4 * d));
            if (shape[d] < 0) throw new DataException($"{path}: negative dimension {shape[d]}");
            if (d > 0 && shape[d] != expectedShape[d - 1])
                throw new DataException($"{path}: dimension {d} is {shape[d]}, expected {expectedShape[d - 1]}");
            expectedBytes *= shape[d];
        }
        if (expectedBytes > Array.MaxLength) throw new DataException($"{path}: header says {expectedBytes} bytes of data, more than one array holds");
        var data = new byte[expectedBytes];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < expectedBytes) throw new DataException($"{path}: truncated: header says {expectedBytes} bytes of data, file has {read}");
        long extra = 0;
        var rest = new byte[4096];
        for (int n; (n = stream.Read(rest)) > 0;) extra += n;
        if (extra > 0) throw new DataException($"{path}: too long: header says {expectedBytes} bytes of data, file has {expectedBytes + extra}");
        return new IdxArray(shape, data);
    }
}
