using System.Text;
using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

public class TfRecordTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue()
    {
        // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4) is 0xE3069283; the mask is TensorFlow's.
        uint crc = 0xE3069283;
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xa282ead8u, TfRecord.MaskedCrc32C(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void FramesReadBackAndADamagedTailIsCutOff()
    {
        byte[] a = [1, 2, 3], b = new byte[300];
        b[299] = 7;
        var file = TfRecord.Frame(a).Concat(TfRecord.Frame(b)).ToArray();
        Assert.Equal(12 + 3 + 4 + 12 + 300 + 4, file.Length);
        Assert.Equal(3ul, BitConverter.ToUInt64(file, 0));

        var all = TfRecord.ReadPayloads(file, out bool damaged);
        Assert.False(damaged);
        Assert.Equal([a, b], all);

        var cut = TfRecord.ReadPayloads(file.AsSpan(0, file.Length - 5), out damaged);
        Assert.True(damaged);
        Assert.Equal([a], cut);

        var flipped = (byte[])file.Clone();
        flipped[19 + 12 + 100] ^= 0x40; // a bit of b's payload
        Assert.Equal([a], TfRecord.ReadPayloads(flipped, out damaged));
        Assert.True(damaged);
    }

    [Fact]
    public void TheIndependentReaderChecksBothCrcs()
    {
        using var tmp = new TempFolder();
        string path;
        var scalar = EventMessages.ScalarEvent(1.5, 3, "x", 2.0);
        using (var writer = new EventFileWriter(tmp.Path))
        {
            writer.Write(scalar);
            path = writer.Path;
        }
        var good = File.ReadAllBytes(path);
        Assert.Equal(0, IndependentReader.TryRead(path).Code);

        int last = good.Length - (12 + scalar.Length + 4); // where the scalar's record starts
        var badLength = (byte[])good.Clone();
        badLength[last + 8] ^= 1; // the length CRC of the second record
        File.WriteAllBytes(path, badLength);
        var (code, error) = IndependentReader.TryRead(path);
        Assert.Equal(1, code);
        Assert.Contains("length CRC", error);

        var badPayload = (byte[])good.Clone();
        badPayload[^5] ^= 1; // the last payload byte
        File.WriteAllBytes(path, badPayload);
        (code, error) = IndependentReader.TryRead(path);
        Assert.Equal(1, code);
        Assert.Contains("payload CRC", error);
    }

    [Fact]
    public void ScalarsKeepInt64StepsAndSubSecondWallTimes()
    {
        using var tmp = new TempFolder();
        using (var writer = new EventFileWriter(tmp.Path))
        {
            writer.Write(EventMessages.ScalarEvent(1764140000.125, 1L << 40, "train/loss", 0.25));
            writer.Write(EventMessages.ScalarEvent(1764140000.5, 0, "zero", 0));
            writer.Write(EventMessages.ScalarEvent(1764140001.75, 7, "neg", -3.5));
        }
        string name = Path.GetFileName(Directory.GetFiles(tmp.Path).Single());
        Assert.Matches(@"^events\.out\.tfevents\.\d{10}\.[^.]+\.\d+\.0$", name);

        var records = IndependentReader.Records(tmp.Path);
        Assert.Equal("brain.Event:2", (string?)records[0]["file_version"]);
        Assert.Equal([(1764140000.125, 1L << 40, "train/loss", 0.25), (1764140000.5, 0, "zero", 0), (1764140001.75, 7, "neg", -3.5)],
            records.Skip(1).Select(r => ((double)r["wall_time"]!, (long)r["step"]!, (string)r["tag"]!, (double)r["value"]!)));
    }
}
