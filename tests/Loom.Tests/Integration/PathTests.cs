using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>
/// Paths that are not what they seem, through the real CLI (docs/configuration.md, "Required keys and paths"):
/// `data.root` missing, a file, reached through a missing parent or unreadable, `--conf` naming a file or a missing
/// folder, `loom.outputs` in a folder without write permission — each one line, exit 2, at `info` and at `train`,
/// and nothing created. Permissions are tried as the unprivileged user `nobody` when the tests run as root (root
/// reads and writes whatever the modes say).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PathTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose()
    {
        foreach (var dir in Directory.EnumerateDirectories(cli.WorkDir, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        cli.Dispose();
    }

    static string ErrorLine(LoomCli.Result r) => r.Stderr.Split('\n').Single(l => l.StartsWith("loom: error:", StringComparison.Ordinal));

    static void AssertRefused(LoomCli.Result r, string expected)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}: {r.Stdout} {r.Stderr}");
        Assert.Contains(expected, ErrorLine(r));
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void ADataRootThatIsNoReadableFolderIsRefusedByInfoAndTrainBeforeAnythingIsCreated()
    {
        string file = Path.Combine(cli.WorkDir, "images.tar");
        File.WriteAllText(file, "not a folder");
        string missing = Path.Combine(cli.WorkDir, "no-such-data");
        string throughMissingParent = Path.Combine(cli.WorkDir, "nowhere", "deeper", "fashion");
        foreach (var (root, expected) in new[]
                 {
                     (missing, $"data.root={missing}: no such folder (expected the folder of fashion_mnist's files"),
                     (file, $"data.root={file}: a file, not a folder"),
                     (throughMissingParent, $"data.root={throughMissingParent}: no such folder; {Path.Combine(cli.WorkDir, "nowhere")} does not exist"),
                 })
            foreach (var command in new[] { "train", "info" })
                AssertRefused(cli.Run(command, "data.limit=100", "epochs=1", $"data.root={root}", $"loom.outputs={cli.Outputs}"), expected);
        // data=cifar10 and data=folder read data.root too.
        AssertRefused(cli.Run("info", "data=cifar10", $"data.root={missing}", $"loom.outputs={cli.Outputs}"), $"data.root={missing}: no such folder (expected the folder of cifar10's files)");
        AssertRefused(cli.Run("train", "data=folder", $"data.root={file}", $"loom.outputs={cli.Outputs}"), $"data.root={file}: a file, not a folder");
        Assert.False(Directory.Exists(cli.Outputs));
        Assert.Equal([file], Directory.GetFileSystemEntries(cli.WorkDir));
    }

    [SkippableUnprivilegedFact]
    public void AnUnreadableDataRootAndAnUnwritableOutputsAreOneLineForAnUnprivilegedUser()
    {
        string data = Path.Combine(cli.WorkDir, "locked-data");
        Directory.CreateDirectory(data);
        File.CreateSymbolicLink(Path.Combine(data, "train-images-idx3-ubyte.gz"), Path.Combine(LoomCli.FashionMnistRoot, "train-images-idx3-ubyte.gz"));
        File.SetUnixFileMode(data, UnixFileMode.UserWrite | UnixFileMode.UserExecute); // -wx: no one but root lists it
        string readOnly = Path.Combine(cli.WorkDir, "read-only");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, (UnixFileMode)0b101_101_101);
        File.SetUnixFileMode(cli.WorkDir, (UnixFileMode)0b111_111_111); // nobody may reach the scratch folder
        string outputs = Path.Combine(readOnly, "outputs");

        foreach (var command in new[] { "train", "info" })
        {
            AssertRefused(Unprivileged(command, "data.limit=100", "epochs=1", $"data.root={data}", $"loom.outputs={Path.Combine(cli.WorkDir, "out")}"),
                $"data.root={data}: the folder cannot be read (permission denied)");
            AssertRefused(Unprivileged(command, "data.limit=100", "epochs=1", $"loom.outputs={outputs}"),
                $"loom.outputs={outputs}: cannot create folders in {readOnly} (permission denied)");
        }
        Assert.Empty(Directory.GetFileSystemEntries(readOnly));
        Assert.False(Directory.Exists(Path.Combine(cli.WorkDir, "out")));
    }

    [Fact]
    public void ConfNamingAFileAMissingFolderOrAFolderWithoutConfigYamlIsOneLine()
    {
        string file = Path.Combine(cli.WorkDir, "config.yaml");
        File.WriteAllText(file, "epochs: 1\n");
        string missing = Path.Combine(cli.WorkDir, "no", "such", "conf");
        string empty = Path.Combine(cli.WorkDir, "empty-conf");
        Directory.CreateDirectory(empty);
        foreach (var (conf, expected) in new[]
                 {
                     (file, $"--conf={file}: a file, not a folder (expected the folder that holds config.yaml)"),
                     (missing, $"--conf={missing}: no such folder"),
                     (empty, $"--conf={empty}: no config.yaml in that folder"),
                 })
            foreach (var command in new[] { "train", "info" })
                AssertRefused(RunWithConf(conf, command, $"loom.outputs={cli.Outputs}"), expected);
        Assert.False(Directory.Exists(cli.Outputs));
        Assert.False(Directory.Exists(Path.Combine(cli.WorkDir, "no")));
    }

    /// <summary>The CLI with a --conf of the test's own (<see cref="LoomCli.StartInfo"/> passes the repository's).</summary>
    LoomCli.Result RunWithConf(string conf, params string[] args)
    {
        var start = cli.StartInfo(args);
        start.ArgumentList[^1] = conf; // the last two are --conf and its folder
        return Wait(start);
    }

    /// <summary>The CLI as `nobody` when this process is root (setpriv), else as this (unprivileged) user.</summary>
    LoomCli.Result Unprivileged(params string[] args)
    {
        var start = cli.StartInfo(args);
        if (!UnprivilegedUser.IsRoot) return Wait(start);
        var wrapped = new ProcessStartInfo("setpriv") { WorkingDirectory = start.WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] command = ["--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp", start.FileName, .. start.ArgumentList];
        foreach (var a in command) wrapped.ArgumentList.Add(a);
        foreach (var (key, value) in start.Environment) wrapped.Environment[key] = value;
        return Wait(wrapped);
    }

    static LoomCli.Result Wait(ProcessStartInfo start)
    {
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException(string.Join(' ', start.ArgumentList)); }
        return new LoomCli.Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Runs where permissions can be tried: as a user other than root, or as root with setpriv to become nobody.</summary>
public sealed class SkippableUnprivilegedFactAttribute : FactAttribute
{
    public SkippableUnprivilegedFactAttribute()
    {
        if (UnprivilegedUser.IsRoot && !File.Exists("/usr/bin/setpriv"))
            Skip = "running as root without /usr/bin/setpriv (util-linux): no way to drop privileges, and root ignores permissions";
        else if (UnprivilegedUser.IsRoot && !OperatingSystem.IsWindows() && UnprivilegedUser.ClosedFolderAbove(AppContext.BaseDirectory) is { } closed)
            Skip = $"nobody cannot reach the built CLI: {closed} is closed to other users (a clone under /root); clone elsewhere to run it";
    }
}

static class UnprivilegedUser
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The first folder from <paramref name="path"/> up that other users may not traverse (no o+x), or null.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string? ClosedFolderAbove(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0) return dir.FullName;
        return null;
    }
}
