using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Loom.Tests.Integration;

/// <summary>
/// A disk that fills up while training, for real: a 2 MiB tmpfs mounted by the test holds `loom.outputs`, and a
/// filler file takes all its space but a few pages, so the next checkpoint cannot be written. The run stops with one
/// line naming the file and saying the disk is full; the previous checkpoint and history.json are byte for byte
/// as they were; once the filler is gone, the same command resumes and finishes. Needs root (mount); always unmounted.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DiskFullTests : IDisposable
{
    readonly LoomCli cli = new();
    readonly string mount;

    public DiskFullTests()
    {
        mount = Path.Combine(cli.WorkDir, "small-disk");
        Directory.CreateDirectory(mount);
        if (TmpfsFactAttribute.CanMount) Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount);
    }

    public void Dispose()
    {
        if (TmpfsFactAttribute.CanMount && Run("umount", mount) != 0) Run("umount", "-l", mount); // lazy: even while a file is open
        cli.Dispose();
    }

    static int Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }

    string Outputs => Path.Combine(mount, "outputs");

    // TensorBoard off: its event files would be one more writer racing for the last pages (it is another file to name, no other rule).
    string[] Train(params string[] more) =>
        ["train", "data.limit=300", "epochs=2", "progress=none", "model=mlp", "model.hidden=16", "threads=1", "loom.tensorboard.enabled=false", $"loom.outputs={Outputs}", .. more];

    /// <summary>Takes every free byte of the tmpfs but <paramref name="leave"/>: the test's filler, deleted to give the space back.</summary>
    string Fill(int leave)
    {
        string filler = Path.Combine(mount, "filler");
        using (var f = new FileStream(filler, FileMode.Create))
        {
            var block = new byte[4096];
            try { while (true) { f.Write(block); f.Flush(); } }
            catch (IOException) { /* full */ }
            f.SetLength(Math.Max(0, f.Length - leave));
        }
        return filler;
    }

    static string ErrorLine(LoomCli.Result r) => r.Stderr.Split('\n').Single(l => l.StartsWith("loom: error:", StringComparison.Ordinal));

    [TmpfsFact]
    public void ACheckpointThatDoesNotFitStopsInOneLineLeavesThePreviousOneAndResumesOnceSpaceIsBack()
    {
        var first = cli.Run(Train("++loom.stop_after=1")); // epoch 1 of 2, then stops (a search's rung; loom.* is no part of the signature)
        Assert.True(first.ExitCode == 0, first.Stderr);
        string folder = Directory.GetDirectories(Path.Combine(Outputs, "xps")).Single();
        string checkpoint = Path.Combine(folder, "checkpoint.last"), history = Path.Combine(folder, "history.json");
        var (checkpointBytes, historyBytes) = (File.ReadAllBytes(checkpoint), File.ReadAllBytes(history));
        Assert.True(checkpointBytes.Length > 32 * 1024, $"checkpoint of {checkpointBytes.Length} bytes"); // more than the space left below

        // 16 KiB free: room for the run's definition files and log lines, not for a 58 KB checkpoint.
        string filler = Fill(16 * 1024);
        var full = cli.Run(Train());
        Assert.Equal(1, full.ExitCode);
        Assert.DoesNotContain("   at ", full.Stderr);
        Assert.Equal($"loom: error: {checkpoint}: the disk is full (no space left on device); the files written before are intact: free space, then run the same command again to resume", ErrorLine(full));
        Assert.Equal(checkpointBytes, File.ReadAllBytes(checkpoint));
        Assert.Equal(historyBytes, File.ReadAllBytes(history));
        Assert.Empty(Directory.GetFiles(folder, ".*.tmp-*")); // no half-written temporary takes the space

        File.Delete(filler);
        var resumed = cli.Run(Train());
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming from epoch 1", resumed.Stdout + resumed.Stderr);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(history))!.AsArray().Count);

        // The same two epochs as a run that never met a full disk (same thread count: bit for bit).
        var straight = cli.Run(["train", .. Train()[1..^1], $"loom.outputs={cli.Outputs}"]);
        Assert.True(straight.ExitCode == 0, straight.Stderr);
        string straightFolder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        Assert.Equal(Epochs(straightFolder), Epochs(folder));
    }

    [TmpfsFact]
    public void ADiskWithNoSpaceAtAllIsOneLineNamingTheFileThatDidNotFit()
    {
        var first = cli.Run(Train("++loom.stop_after=1"));
        Assert.True(first.ExitCode == 0, first.Stderr);
        string folder = Directory.GetDirectories(Path.Combine(Outputs, "xps")).Single();
        // What the XP is (its checkpoints, history and definition); .lock, ranks.json and train.log say who runs it.
        var before = new[] { "checkpoint.last", "checkpoint.best", "history.json", "config.yaml", ".argv.json" }.Select(f => Path.Combine(folder, f)).ToDictionary(f => f, File.ReadAllBytes);

        string filler = Fill(0); // the first file the run writes (its definition, its log) finds no page
        var full = cli.Run(Train());
        Assert.Equal(1, full.ExitCode);
        Assert.DoesNotContain("   at ", full.Stderr);
        string error = ErrorLine(full);
        Assert.Matches($@"^loom: error: {System.Text.RegularExpressions.Regex.Escape(folder)}/[a-z._]+: the disk is full \(no space left on device\)", error);
        foreach (var (path, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(path));

        File.Delete(filler);
        var resumed = cli.Run(Train());
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming from epoch 1", resumed.Stdout + resumed.Stderr);
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray().Count);
    }

    /// <summary>The epochs' metrics without their timings.</summary>
    static string Epochs(string folder)
    {
        var epochs = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!;
        StripTimings(epochs);
        return epochs.ToJsonString();
    }

    static void StripTimings(JsonNode? node)
    {
        if (node is JsonArray array) foreach (var item in array) StripTimings(item);
        if (node is not JsonObject o) return;
        foreach (var key in new[] { "duration", "samples_per_second", "seconds", "time" }) o.Remove(key);
        foreach (var (_, value) in o) StripTimings(value);
    }
}

/// <summary>Runs where the test can mount a tmpfs (root, and a mount that works here); else skipped, saying why.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public static readonly bool CanMount = Probe();

    public TmpfsFactAttribute()
    {
        if (!CanMount) Skip = "needs root and `mount -t tmpfs` (a real small disk to fill): run the tests as root, as CI does";
    }

    static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return false;
        string dir = Directory.CreateTempSubdirectory("loom-tmpfs-probe-").FullName;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) { RedirectStandardError = true })!;
            p.WaitForExit();
            if (p.ExitCode != 0) return false;
            using var u = Process.Start(new ProcessStartInfo("umount", [dir]))!;
            u.WaitForExit();
            return true;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // no mount binary
        finally { try { Directory.Delete(dir); } catch (IOException) { } }
    }
}
