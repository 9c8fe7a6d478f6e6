using System.Text.RegularExpressions;

namespace Loom.Tests.Integration;

/// <summary>
/// `data=folder data.stream=true` through the real CLI on PNG folders the test writes: the memory-mapped cache gives the
/// history of the in-memory folder bit for bit (with augmentation, workers, a validation split and a skipped file),
/// under the same signature; a second run reuses the cache; a truncated, altered or outdated cache is rebuilt with a
/// one-line warning naming it; a build that fails leaves no cache file.
/// </summary>
public sealed class StreamedFolderTests : IDisposable
{
    readonly string cache = Directory.CreateTempSubdirectory("loom-stream-cache-").FullName;
    readonly LoomCli cli;

    public StreamedFolderTests() => cli = new LoomCli { CacheDir = cache };

    public void Dispose()
    {
        cli.Dispose();
        try { Directory.Delete(cache, recursive: true); } catch (IOException) { }
    }

    string ImagesFolder => Path.Combine(cache, "data", "images");
    string[] CacheFiles() => Directory.Exists(ImagesFolder) ? Directory.GetFiles(ImagesFolder) : [];

    string[] Train(string root, string outputs, params string[] more) =>
        ["train", "data=folder", "data.root=" + root, "model=mlp", "epochs=2", "threads=1", "progress=plain", "restart=true",
         $"loom.outputs={Path.Combine(cli.WorkDir, outputs)}", .. more];

    LoomCli.Result Ok(params string[] args)
    {
        var run = cli.Run(args);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        return run;
    }

    string History(string outputs) => Regex.Replace(
        File.ReadAllText(Directory.GetFiles(Path.Combine(cli.WorkDir, outputs, "xps"), "history.json", SearchOption.AllDirectories).Single()),
        "\"(duration|samples_per_second)\"\\s*:\\s*[0-9.eE+-]+", "");

    static string Sig(LoomCli.Result run) => Regex.Match(run.Stdout + run.Stderr, @"sig\s+([0-9a-f]{8})").Groups[1].Value;

    [Fact]
    public void StreamedHistoryIsBitIdenticalToInMemoryUnderTheSameSignature()
    {
        string root = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics"), 40);
        File.WriteAllText(Path.Combine(root, "dog", "notes.png"), "not an image"); // skipped on both paths
        string[] same = ["data.augment.crop_padding=2", "data.augment.flip=true", "data.workers=2", "data.on_corrupt=skip"];

        var memory = Ok(Train(root, "memory", same));
        var streamed = Ok(Train(root, "streamed", [.. same, "data.stream=true"]));

        Assert.Equal(History("memory"), History("streamed"));
        Assert.NotEmpty(Sig(memory));
        Assert.Equal(Sig(memory), Sig(streamed)); // data.stream is how, not what: out of the signature
        Assert.Contains("skipped " + Path.Combine(root, "dog", "notes.png"), streamed.Stdout + streamed.Stderr);
        Assert.Single(CacheFiles());
    }

    [Fact]
    public void SecondRunReusesTheCache()
    {
        string root = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics"), 20);
        var first = Ok(Train(root, "a", "data.stream=true"));
        Assert.Contains("data.stream: decoded " + root + " into the image cache", first.Stdout + first.Stderr);
        string file = Assert.Single(CacheFiles());
        var written = File.GetLastWriteTimeUtc(file);

        var second = Ok(Train(root, "b", "data.stream=true"));
        Assert.Contains($"data.stream: reusing the image cache {file} (", second.Stdout + second.Stderr);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(History("a"), History("b"));
        Assert.Contains($"data.stream: reusing the image cache {file}", File.ReadAllText(Directory.GetFiles(Path.Combine(cli.WorkDir, "b"), "train.log", SearchOption.AllDirectories).Single()));
    }

    [Theory]
    [InlineData("truncated", "bytes where its header makes")]
    [InlineData("payload", "checksum mismatch")]
    [InlineData("source", "made from other files")]
    public void ADamagedOrOutdatedCacheIsRebuiltWithAWarning(string damage, string reason)
    {
        string root = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics"), 20);
        Ok(Train(root, "a", "data.stream=true"));
        string file = Assert.Single(CacheFiles());
        switch (damage)
        {
            case "truncated":
                using (var f = new FileStream(file, FileMode.Open)) f.SetLength(f.Length - 100);
                break;
            case "payload":
                var bytes = File.ReadAllBytes(file);
                bytes[4096 + 7] ^= 0x5a; // a pixel of the first image
                File.WriteAllBytes(file, bytes);
                break;
            case "source": // the same bytes, but a newer file: the fingerprint no longer matches
                File.SetLastWriteTimeUtc(Path.Combine(root, "cat", "0.png"), DateTime.UtcNow.AddMinutes(1));
                break;
        }

        var rebuilt = Ok(Train(root, "b", "data.stream=true"));
        var warning = Assert.Single((rebuilt.Stdout + rebuilt.Stderr).Split('\n'), l => l.Contains("WARNING") && l.Contains("data.stream"));
        Assert.Contains($"data.stream: the image cache {file} does not match (", warning);
        Assert.Contains(reason, warning);
        Assert.EndsWith("rebuilt", warning.TrimEnd());
        Assert.Equal(History("a"), History("b"));
        var again = Ok(Train(root, "c", "data.stream=true"));
        Assert.Contains("data.stream: reusing the image cache", again.Stdout + again.Stderr);
        Assert.Single(CacheFiles());
    }

    [Fact]
    public void AFailedBuildLeavesNoCacheFile()
    {
        string root = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics"), 300); // more than one chunk decodes before the bad file
        string bad = Path.Combine(root, "dog", "notes.png");
        File.WriteAllText(bad, "not an image");

        var run = cli.Run(Train(root, "a", "data.stream=true"));
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("loom: error: " + bad + ": ", line);
        Assert.Empty(CacheFiles()); // no cache file, and no temporary left beside where it would be
        Assert.False(Directory.Exists(Path.Combine(cli.WorkDir, "a")));
    }

    [Fact]
    public void StreamingWithoutACacheFolderIsOneLine()
    {
        using var noCache = new LoomCli(); // LOOM_CACHE_DIR=off
        string root = TestImageFolder.Write(Path.Combine(noCache.WorkDir, "pics"), 5);
        var run = noCache.Run("train", "data=folder", "data.root=" + root, "model=mlp", "epochs=1", "data.stream=true", $"loom.outputs={noCache.Outputs}");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("loom: error: data.stream=true: no cache folder", Assert.Single(run.Stderr.Trim().Split('\n')));
        Assert.False(Directory.Exists(noCache.Outputs));
    }
}
