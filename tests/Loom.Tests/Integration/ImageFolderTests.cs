namespace Loom.Tests.Integration;

/// <summary>
/// `data=folder` through the real CLI on PNG files the test writes (two classes told apart by brightness): it trains
/// to completion and learns, `loom info -f` names the classes, a seeded augmentation gives the same history twice,
/// and a folder without class subfolders or with a file that is not an image is one line, exit 2, nothing created.
/// </summary>
public sealed class ImageFolderTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    string WriteFolder(string name, int perClass) => TestImageFolder.Write(Path.Combine(cli.WorkDir, name), perClass);

    string[] Train(string root, params string[] more) =>
        ["train", "data=folder", "data.root=" + root, "model=mlp", "epochs=2", "threads=1", "progress=plain", $"loom.outputs={cli.Outputs}", .. more];

    [Fact]
    public void TrainsOnAFolderOfPngsAndNamesItsClasses()
    {
        string root = WriteFolder("pics", 30);
        var run = cli.Run(Train(root));
        Assert.True(run.ExitCode == 0, run.Stderr);
        var sig = System.Text.RegularExpressions.Regex.Match(run.Stdout + run.Stderr, @"sig\s+([0-9a-f]{8})").Groups[1].Value;
        Assert.NotEmpty(sig);
        var history = File.ReadAllText(Path.Combine(cli.XpFolder(sig), "history.json"));
        Assert.Contains("\"test\"", history);
        Assert.Matches(@"test\s+(9\d|100)\.\d\d %", run.Stdout + run.Stderr); // brightness separates the classes

        var info = cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}");
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains("classes: 2: cat, dog", info.Stdout);
    }

    [Fact]
    public void SeededAugmentationGivesTheSameHistoryTwice()
    {
        string root = WriteFolder("aug", 20);
        string[] Run(string outputs) => [.. Train(root, "data.augment.crop_padding=2", "data.augment.flip=true"), $"loom.outputs={outputs}"];
        var a = cli.Run(Run(Path.Combine(cli.WorkDir, "a")));
        var b = cli.Run(Run(Path.Combine(cli.WorkDir, "b")));
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.Stderr + b.Stderr);
        string History(string outputs) =>
            File.ReadAllText(Directory.GetFiles(Path.Combine(cli.WorkDir, outputs, "xps"), "history.json", SearchOption.AllDirectories).Single());
        static string WithoutDurations(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"(duration|samples_per_second)\"\\s*:\\s*[0-9.eE+-]+", "");
        Assert.Equal(WithoutDurations(History("a")), WithoutDurations(History("b")));
    }

    [Fact]
    public void BadFoldersAreOneLineAndCreateNothing()
    {
        string empty = Path.Combine(cli.WorkDir, "empty");
        Directory.CreateDirectory(empty);
        var run = cli.Run(Train(empty));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no class subfolders", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(cli.Outputs));

        string root = WriteFolder("broken", 5);
        File.WriteAllText(Path.Combine(root, "dog", "notes.png"), "not an image");
        var broken = cli.Run(Train(root));
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("notes.png", broken.Stderr);
        Assert.DoesNotContain("   at ", broken.Stderr);
    }
}
