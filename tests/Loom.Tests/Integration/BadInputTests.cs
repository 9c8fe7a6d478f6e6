using System.IO.Compression;

namespace Loom.Tests.Integration;

/// <summary>Bad input gives one line naming the culprit, a non-zero exit code, and creates or loses nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static string OnlyLine(LoomCli.Result run)
    {
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("loom: error:")).ToList();
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", run.Stderr);
        return lines[0];
    }

    [Theory]
    [InlineData("optim.lrr=0.1", "did you mean optim.lr?")]
    [InlineData("model=resnet50", "unknown option 'resnet50' for group 'model'")]
    [InlineData("epochs=abc", "'epochs'")]
    [InlineData("batch_size=0", "batch_size=0")]
    [InlineData("data.valid_fraction=1.5", "data.valid_fraction=1.5")]
    [InlineData("a..b=1", "a..b=1")]
    [InlineData("data.valid_fraction=0 monitor=valid.accuracy", "no validation split")]
    [InlineData("monitor=test.accuracy", "the test split never selects")]
    public void ConfigErrorsExitTwoAndCreateNothing(string bad, string expected)
    {
        var run = cli.Run(cli.Fast(bad.Split(' ')));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, OnlyLine(run));
        Assert.False(Directory.Exists(cli.Outputs), "a config error must create nothing on disk");
    }

    string DataFolder(Action<string> build)
    {
        string root = Path.Combine(cli.WorkDir, "data");
        Directory.CreateDirectory(root);
        foreach (var file in Directory.GetFiles(LoomCli.FashionMnistRoot)) File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        build(root);
        return root;
    }

    [Fact]
    public void MissingDataFolderNamesIt()
    {
        var run = cli.Run(cli.Fast("data.root=/nonexistent/fmnist"));
        Assert.Equal(2, run.ExitCode); // a setting, checked before anything is created (PathTests)
        Assert.Contains("data.root=/nonexistent/fmnist: no such folder; /nonexistent does not exist", OnlyLine(run));
    }

    [Fact]
    public void MissingTruncatedOrWrongFilesAreNamed()
    {
        string missing = DataFolder(root => File.Delete(Path.Combine(root, "t10k-labels-idx1-ubyte.gz")));
        Assert.Contains("t10k-labels-idx1-ubyte.gz: file not found", OnlyLine(cli.Run(cli.Fast("data.root=" + missing))));
        Directory.Delete(missing, true);

        string truncated = DataFolder(root =>
        {
            string path = Path.Combine(root, "train-labels-idx1-ubyte.gz");
            var raw = Decompress(path);
            Compress(path, raw[..(raw.Length - 100)]);
        });
        var run = cli.Run(cli.Fast("data.root=" + truncated));
        Assert.Equal(1, run.ExitCode);
        Assert.Matches("train-labels-idx1-ubyte.gz: truncated: header says 60000 bytes of data, file has 59900", OnlyLine(run));
        Directory.Delete(truncated, true);

        string swapped = DataFolder(root => File.Copy(Path.Combine(root, "t10k-labels-idx1-ubyte.gz"), Path.Combine(root, "t10k-images-idx3-ubyte.gz"), overwrite: true));
        Assert.Contains("t10k-images-idx3-ubyte.gz: IDX file has 1 dimensions, expected 3", OnlyLine(cli.Run(cli.Fast("data.root=" + swapped))));
        Directory.Delete(swapped, true);

        string notGzip = DataFolder(root => File.WriteAllText(Path.Combine(root, "train-images-idx3-ubyte.gz"), "hello"));
        Assert.Contains("train-images-idx3-ubyte.gz: not a valid gzip file", OnlyLine(cli.Run(cli.Fast("data.root=" + notGzip))));
    }

    static byte[] Decompress(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gz.CopyTo(memory);
        return memory.ToArray();
    }

    static void Compress(string path, byte[] raw)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(raw);
    }
}
