using Loom.IO;

namespace Loom.Tests.Unit;

public sealed class SectionFileTests
{
    readonly string dir = Directory.CreateTempSubdirectory().FullName;

    [Fact]
    public void RoundTripsSections()
    {
        string path = Path.Combine(dir, "c");
        SectionFile.Write(path, [("a", [1, 2, 3]), ("b", new byte[100_000])]);
        var read = SectionFile.Read(path);
        Assert.Equal(new byte[] { 1, 2, 3 }, read["a"].ToArray());
        Assert.Equal(100_000, read["b"].Count);
        Assert.Empty(Directory.GetFiles(dir, ".*"));
    }

    /// <summary>A version-1 file (SHA-256, lengths before the bytes) as Loom wrote them before: still read.</summary>
    [Fact]
    public void ReadsVersionOneFiles()
    {
        string path = Path.Combine(dir, "v1");
        var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("LOOMSECT"u8);
            w.Write(1);
            w.Write(2);
            w.Write("model"); w.Write(3L); w.Write(new byte[] { 7, 8, 9 });
            w.Write("rng"); w.Write(1L); w.Write(new byte[] { 5 });
        }
        File.WriteAllBytes(path, [.. body.ToArray(), .. System.Security.Cryptography.SHA256.HashData(body.ToArray())]);
        var read = SectionFile.Read(path);
        Assert.Equal(new byte[] { 7, 8, 9 }, read["model"].ToArray());
        Assert.Equal(new byte[] { 5 }, read["rng"].ToArray());
        var damaged = File.ReadAllBytes(path);
        damaged[20] ^= 1;
        File.WriteAllBytes(path, damaged);
        Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => SectionFile.Read(path)).Message);
    }

    [Fact]
    public void StreamedSectionsAreIndexedAndABestCheckpointIsALinkToTheLastOne()
    {
        string last = Path.Combine(dir, "checkpoint.last"), best = Path.Combine(dir, "checkpoint.best");
        SectionFile.Write(last, [new Section("big", s => { for (int i = 0; i < 300; i++) s.Write(new byte[1000]); s.WriteByte(42); }), Section.FromBytes("small", [1])]);
        var read = SectionFile.Read(last);
        Assert.Equal(300_001, read["big"].Count);
        Assert.Equal(42, read["big"][^1]);
        Assert.Equal(new byte[] { 1 }, read["small"].ToArray());
        AtomicFile.Link(last, best);
        Assert.Equal(File.ReadAllBytes(last), File.ReadAllBytes(best));
        // Replacing `last` (always by rename) leaves `best` as it was.
        SectionFile.Write(last, [Section.FromBytes("small", [2])]);
        Assert.Equal(new byte[] { 1 }, SectionFile.Read(best)["small"].ToArray());
        Assert.Empty(Directory.GetFiles(dir, ".*"));
    }

    [Fact]
    public void DetectsEveryKindOfDamage()
    {
        string path = Path.Combine(dir, "c");
        SectionFile.Write(path, [("model", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray())]);
        byte[] good = File.ReadAllBytes(path);

        for (int i = 0; i < good.Length; i += 397)
        {
            var flipped = (byte[])good.Clone();
            flipped[i] ^= 0x10;
            File.WriteAllBytes(path, flipped);
            Assert.Throws<InvalidDataException>(() => SectionFile.Read(path));
        }
        File.WriteAllBytes(path, good[..(good.Length - 1)]);
        Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => SectionFile.Read(path)).Message);
        File.WriteAllText(path, "not a checkpoint at all, just some text long enough to pass the size check");
        Assert.Contains("not a Loom checkpoint", Assert.Throws<InvalidDataException>(() => SectionFile.Read(path)).Message);
    }

    [Fact]
    public void AtomicWriteReplacesWholeFileAndCleansTemporaries()
    {
        string path = Path.Combine(dir, "f.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write("new, half"u8); throw new InvalidOperationException(); }));
        Assert.Equal("old", File.ReadAllText(path)); // a failed write leaves the old content
        Assert.Single(Directory.GetFiles(dir));
        File.WriteAllText(Path.Combine(dir, ".f.json.tmp-1-abc"), "stray");
        AtomicFile.CleanStaleTemporaries(dir);
        Assert.Single(Directory.GetFiles(dir));
    }
}
