using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Loom.IO;

/// <summary>One named section of a <see cref="SectionFile"/>: its bytes are streamed to the file by <see cref="WriteTo"/>.</summary>
public sealed record Section(string Name, Action<Stream> WriteTo)
{
    public static Section FromBytes(string name, byte[] bytes) => new(name, stream => stream.Write(bytes));
}

/// <summary>
/// A file of named binary sections closed by a checksum of everything before it, so that a truncated, bit-flipped
/// or foreign file is always detected on load. Written with <see cref="AtomicFile"/>.
/// <para>Version 2 (written): magic `LOOMSECT`, int32 version, the sections' bytes back to back, an index (int32
/// count, then per section: UTF-8 name with 7-bit length prefix, int64 offset, int64 length), int64 offset of the
/// index, then the 16-byte XxHash128 of everything before it. The index comes last so that each section streams
/// straight from its tensors to the file (a model is never held in memory a second time), and XxHash128 because
/// the checksum guards against damage, not forgery: SHA-256 cost ~25 ms per 45 MB on save and again on load.</para>
/// <para>Version 1 (still read): magic, int32 version, int32 count, per section (name, int64 length, bytes), SHA-256.</para>
/// </summary>
public static class SectionFile
{
    static readonly byte[] Magic = "LOOMSECT"u8.ToArray();
    const int Version = 2;
    const int Sha256Length = 32;
    const int XxHashLength = 16;

    public static void Write(string path, IReadOnlyList<(string Name, byte[] Bytes)> sections) =>
        Write(path, sections.Select(s => Section.FromBytes(s.Name, s.Bytes)).ToList());

    public static void Write(string path, IReadOnlyList<Section> sections)
    {
        AtomicFile.Write(path, stream =>
        {
            var hash = new XxHash128();
            using var body = new HashingStream(stream, hash);
            var index = new List<(string Name, long Offset, long Length)>();
            using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Flush();
                for (int i = 0; i < sections.Count; i++)
                {
                    long start = body.Written;
                    sections[i].WriteTo(body);
                    index.Add((sections[i].Name, start, body.Written - start));
                    if (i == sections.Count / 2) CrashPoint.Hit("checkpoint.partial");
                }
                long indexOffset = body.Written;
                writer.Write(index.Count);
                foreach (var (name, offset, length) in index)
                {
                    writer.Write(name);
                    writer.Write(offset);
                    writer.Write(length);
                }
                writer.Write(indexOffset);
            }
            stream.Write(hash.GetCurrentHash());
        });
    }

    /// <summary>The sections by name; each is a slice of one buffer holding the file (no copy per section).</summary>
    /// <exception cref="InvalidDataException">One line naming the file and what is wrong with it.</exception>
    public static Dictionary<string, ArraySegment<byte>> Read(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < Magic.Length + 4 || !raw.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a Loom checkpoint (bad magic or too short: {raw.Length} bytes)");
        int version = BitConverter.ToInt32(raw, Magic.Length);
        return version switch
        {
            2 => ReadVersion2(path, raw),
            1 => ReadVersion1(path, raw),
            _ => throw new InvalidDataException($"{path}: checkpoint format version {version}, this Loom reads 1 and {Version}"),
        };
    }

    static Dictionary<string, ArraySegment<byte>> ReadVersion2(string path, byte[] raw)
    {
        int bodyLength = raw.Length - XxHashLength;
        if (bodyLength < Magic.Length + 4 + 4 + 8 || !XxHash128.Hash(raw.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(raw.AsSpan(bodyLength)))
            throw new InvalidDataException($"{path}: checksum mismatch (file truncated or corrupted)");
        long indexOffset = BitConverter.ToInt64(raw, bodyLength - 8);
        using var reader = new BinaryReader(new MemoryStream(raw, (int)indexOffset, bodyLength - 8 - (int)indexOffset), Encoding.UTF8);
        int count = reader.ReadInt32();
        var sections = new Dictionary<string, ArraySegment<byte>>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long offset = reader.ReadInt64(), length = reader.ReadInt64();
            sections[name] = new ArraySegment<byte>(raw, checked((int)offset), checked((int)length));
        }
        return sections;
    }

    static Dictionary<string, ArraySegment<byte>> ReadVersion1(string path, byte[] raw)
    {
        int bodyLength = raw.Length - Sha256Length;
        if (bodyLength < Magic.Length + 8 || !SHA256.HashData(raw.AsSpan(0, bodyLength)).AsSpan().SequenceEqual(raw.AsSpan(bodyLength)))
            throw new InvalidDataException($"{path}: checksum mismatch (file truncated or corrupted)");
        using var reader = new BinaryReader(new MemoryStream(raw, 0, bodyLength), Encoding.UTF8);
        reader.ReadBytes(Magic.Length + 4);
        int count = reader.ReadInt32();
        var sections = new Dictionary<string, ArraySegment<byte>>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long length = reader.ReadInt64();
            sections[name] = new ArraySegment<byte>(raw, checked((int)reader.BaseStream.Position), checked((int)length));
            reader.BaseStream.Seek(length, SeekOrigin.Current);
        }
        return sections;
    }

    /// <summary>Passes writes through to the file while feeding them to the hash and counting them (one pass, no second buffer).</summary>
    sealed class HashingStream(Stream inner, NonCryptographicHashAlgorithm hash) : Stream
    {
        public long Written { get; private set; }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            inner.Write(buffer);
            Written += buffer.Length;
        }
        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
