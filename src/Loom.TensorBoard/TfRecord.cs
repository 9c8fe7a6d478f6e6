using System.Buffers.Binary;
using System.IO.Hashing;

namespace Loom.TensorBoard;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: each record is its length (8 bytes, little
/// endian), the masked CRC32C of those 8 bytes, the payload, and the masked CRC32C of the payload.
/// </summary>
public static class TfRecord
{
    const int HeaderSize = 12, FooterSize = 4;

    /// <summary>TensorFlow's masked CRC32C (Castagnoli): a CRC stored next to the data it covers is rotated
    /// and offset so that a CRC of a CRC does not come out trivially.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>The framed bytes of one record.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var record = new byte[HeaderSize + payload.Length + FooterSize];
        var span = record.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], MaskedCrc32C(span[..8]));
        payload.CopyTo(span[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(HeaderSize + payload.Length)..], MaskedCrc32C(payload));
        return record;
    }

    /// <summary>
    /// The payloads of a file's records, in order. Reading stops at the first record that is cut short or
    /// whose CRC does not match: that is the tail a killed writer leaves, and what precedes it is intact.
    /// </summary>
    public static List<byte[]> ReadPayloads(ReadOnlySpan<byte> file, out bool damagedTail)
    {
        var payloads = new List<byte[]>();
        int at = 0;
        damagedTail = false;
        while (at < file.Length)
        {
            var rest = file[at..];
            if (rest.Length < HeaderSize
                || BinaryPrimitives.ReadUInt32LittleEndian(rest[8..]) != MaskedCrc32C(rest[..8]))
            {
                damagedTail = true;
                break;
            }
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(rest);
            if (length > (ulong)(rest.Length - HeaderSize - FooterSize)) { damagedTail = true; break; }
            var payload = rest.Slice(HeaderSize, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(rest[(HeaderSize + (int)length)..]) != MaskedCrc32C(payload))
            {
                damagedTail = true;
                break;
            }
            payloads.Add(payload.ToArray());
            at += HeaderSize + (int)length + FooterSize;
        }
        return payloads;
    }
}
