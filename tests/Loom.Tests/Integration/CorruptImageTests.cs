using System.Text.Json.Nodes;

namespace Loom.Tests.Integration;

/// <summary>
/// data.on_corrupt through the real CLI on real damaged files the test writes (a PNG cut in the middle of its image
/// data, a text file named .png, a zero-byte JPEG), decoded on the training thread and on 2 worker threads:
/// `stop` is one line naming the file, exit 2, no XP folder; `skip` trains on the rest, warns once per file with its
/// path (console and train.log), and lists the files in skipped_files.json, counted by `loom info -f`.
/// </summary>
public sealed class CorruptImageTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    string[] Train(string root, params string[] more) =>
        ["train", "data=folder", "data.root=" + root, "model=mlp", "epochs=1", "threads=1", "progress=plain", $"loom.outputs={cli.Outputs}", .. more];

    /// <summary>A valid PNG of the folder cut to 60 % of its bytes: the header identifies, the image data ends early.</summary>
    static void WriteTruncatedPng(string from, string path)
    {
        var bytes = File.ReadAllBytes(from);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 6 / 10)]);
    }

    /// <summary>The three kinds of damage, by a name each; the file is written into <paramref name="folder"/>.</summary>
    static string WriteDamaged(string kind, string folder, string validPng)
    {
        string path;
        switch (kind)
        {
            case "truncated": WriteTruncatedPng(validPng, path = Path.Combine(folder, "0-truncated.png")); break;
            case "text": File.WriteAllText(path = Path.Combine(folder, "notes.png"), "these are my notes, not a picture\n"); break;
            case "empty": File.WriteAllBytes(path = Path.Combine(folder, "empty.jpg"), []); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return path;
    }

    [Theory]
    [InlineData("truncated", 0)]
    [InlineData("truncated", 2)]
    [InlineData("text", 0)]
    [InlineData("text", 2)]
    [InlineData("empty", 0)]
    [InlineData("empty", 2)]
    public void StopIsOneLineNamingTheFileAndCreatesNothing(string kind, int workers)
    {
        string root = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics"), 12);
        string bad = WriteDamaged(kind, Path.Combine(root, "dog"), Path.Combine(root, "dog", "3.png"));

        var run = cli.Run(Train(root, $"data.workers={workers}"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("loom: error: " + bad + ": ", line);
        Assert.Contains("data.on_corrupt=skip", line);
        Assert.DoesNotContain("AggregateException", line);
        Assert.False(Directory.Exists(cli.Outputs), "a refused run created its outputs");
    }

    [Fact]
    public void SkipTrainsOnTheRestWarnsOncePerFileAndListsThem()
    {
        // train/ and test/: a damaged file first in the training split's order (it must not decide the image size),
        // one in the other training class, one in the test split.
        string train = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics", "train"), 16);
        string test = TestImageFolder.Write(Path.Combine(cli.WorkDir, "pics", "test"), 6, seed: 4);
        string[] bad =
        [
            WriteDamaged("truncated", Path.Combine(train, "cat"), Path.Combine(train, "cat", "3.png")),
            WriteDamaged("text", Path.Combine(train, "dog"), ""),
            WriteDamaged("empty", Path.Combine(test, "dog"), ""),
        ];

        var run = cli.Run(Train(Path.GetDirectoryName(train)!, "data.on_corrupt=skip", "data.workers=2"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var sig = System.Text.RegularExpressions.Regex.Match(run.Stdout + run.Stderr, @"sig\s+([0-9a-f]{8})").Groups[1].Value;
        string folder = cli.XpFolder(sig);
        string log = File.ReadAllText(Path.Combine(folder, "train.log"));
        foreach (var path in bad)
        {
            Assert.Equal(1, Occurrences(run.Stderr, $"skipped {path}: "));
            Assert.Equal(1, Occurrences(log, $"skipped {path}: "));
        }
        Assert.Contains("data.on_corrupt=skip: 3 files left out of the data set", log);
        var listed = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "skipped_files.json")))!.AsArray();
        Assert.Equal(bad, listed.Select(n => n!["path"]!.GetValue<string>()));
        Assert.All(listed, n => Assert.Contains("does not decode", n!["reason"]!.GetValue<string>()));
        Assert.Matches(@"test\s+(9\d|100)\.\d\d %", run.Stdout + run.Stderr); // trained on the images that decode

        var info = cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}");
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains("skipped: 3 files that do not decode", info.Stdout);
    }

    static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
