namespace Loom.Tests.Integration;

/// <summary>
/// The decompressed copies of the gzip data files (Loom.Data.DecompressedCache), through the real `loom`: the
/// first run leaves them, a run from them trains bit-identically, and a damaged copy is replaced, not trusted.
/// </summary>
public sealed class DecompressedCacheTests : IDisposable
{
    readonly LoomCli cli;
    readonly string cache;

    public DecompressedCacheTests()
    {
        cache = Path.Combine(Path.GetTempPath(), "loom-cache-test-" + Guid.NewGuid().ToString("N")[..8]);
        cli = new LoomCli { CacheDir = cache };
    }

    public void Dispose()
    {
        cli.Dispose();
        try { Directory.Delete(cache, recursive: true); } catch (IOException) { }
    }

    string History(params string[] more)
    {
        var r = cli.Run(cli.Fast(["restart=true", .. more]));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        return string.Join("\n", File.ReadAllText(Path.Combine(folder, "history.json")).Split('\n').Where(l => !l.Contains("duration") && !l.Contains("samples_per_second")));
    }

    static readonly (string Stem, long Bytes)[] Files =
    [
        ("train-images-idx3-ubyte", 16 + 60000L * 784), ("t10k-images-idx3-ubyte", 16 + 10000L * 784),
        ("train-labels-idx1-ubyte", 8 + 60000), ("t10k-labels-idx1-ubyte", 8 + 10000),
    ];

    string Copy(string stem) => Directory.GetFiles(Path.Combine(cache, "data"), "*-" + stem).Single();

    [Fact]
    public void FirstRunLeavesCopiesAndRunsFromThemTrainTheSame()
    {
        var fromGzip = History();
        foreach (var (stem, bytes) in Files) Assert.Equal(bytes, new FileInfo(Copy(stem)).Length);
        var stamp = File.GetLastWriteTimeUtc(Copy("train-images-idx3-ubyte"));
        Assert.Equal(fromGzip, History());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Copy("train-images-idx3-ubyte"))); // read, not rewritten

        // A damaged copy (cut short) is dropped and made again; the run still trains the same.
        string images = Copy("train-images-idx3-ubyte");
        using (var f = File.OpenWrite(images)) f.SetLength(1000);
        Assert.Equal(fromGzip, History());
        Assert.Equal(16 + 60000L * 784, new FileInfo(Copy("train-images-idx3-ubyte")).Length);
    }

    [Fact]
    public void OffMeansNoCopies()
    {
        using var off = new LoomCli { CacheDir = "off" };
        var r = off.Run(off.Fast());
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(off.WorkDir, "off")));
        Assert.False(Directory.Exists(cache));
    }
}
