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
        Assert.Equal(new byte[] { 1, 2, 3 }, read["a"]);
        Assert.Equal(100_000, read["b"].Length);
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
