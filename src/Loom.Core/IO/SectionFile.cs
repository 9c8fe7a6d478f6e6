using System.Security.Cryptography;
using System.Text;

namespace Loom.IO;

/// <summary>
/// A file of named binary sections closed by a SHA-256 of everything before it, so that a truncated,
/// bit-flipped or foreign file is always detected on load. Layout: magic `LOOMSECT`, int32 version,
/// int32 section count, then per section (UTF-8 name with 7-bit length prefix, int64 length, bytes),
/// then the 32-byte hash. Written with <see cref="AtomicFile"/>.
/// </summary>
public static class SectionFile
{
    static readonly byte[] Magic = "LOOMSECT"u8.ToArray();
    const int Version = 1;
    const int HashLength = 32;

    public static void Write(string path, IReadOnlyList<(string Name, byte[] Bytes)> sections)
    {
        AtomicFile.Write(path, stream =>
        {
            using var hashing = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var body = new HashingStream(stream, hashing);
            using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(sections.Count);
                for (int i = 0; i < sections.Count; i++)
                {
                    var (name, bytes) = sections[i];
                    writer.Write(name);
                    writer.Write((long)bytes.Length);
                    writer.Write(bytes);
                    if (i == sections.Count / 2) { writer.Flush(); CrashPoint.Hit("checkpoint.partial"); }
                }
            }
            stream.Write(hashing.GetHashAndReset());
        });
    }

    /// <exception cref="InvalidDataException">One line naming the file and what is wrong with it.</exception>
    public static Dictionary<string, byte[]> Read(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < Magic.Length + 8 + HashLength || !raw.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a Loom checkpoint (bad magic or too short: {raw.Length} bytes)");
        var body = raw.AsSpan(0, raw.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(raw.AsSpan(raw.Length - HashLength)))
            throw new InvalidDataException($"{path}: checksum mismatch (file truncated or corrupted)");
        using var reader = new BinaryReader(new MemoryStream(raw, 0, raw.Length - HashLength), Encoding.UTF8);
        reader.ReadBytes(Magic.Length);
        int version = reader.ReadInt32();
        if (version != Version) throw new InvalidDataException($"{path}: checkpoint format version {version}, this Loom reads {Version}");
        int count = reader.ReadInt32();
        var sections = new Dictionary<string, byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long length = reader.ReadInt64();
            sections[name] = reader.ReadBytes(checked((int)length));
        }
        return sections;
    }

    /// <summary>Passes writes through to the file while feeding them to the hash (one pass, no second buffer).</summary>
    sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
