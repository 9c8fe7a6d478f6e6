using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Loom.Tests.Integration;

/// <summary>
/// Files of an XP folder or of the queue that were truncated, garbled or hand-edited, through the real CLI on real
/// Fashion-MNIST: each is one line naming the file and what to do (never a stack trace), or a recovery.
/// </summary>
public sealed class DamagedFileTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    string[] Train(params string[] more) =>
        ["train", "data.limit=300", "epochs=1", "progress=plain", "threads=1", "model=mlp", $"loom.outputs={cli.Outputs}", .. more];

    string TrainedSig(params string[] more)
    {
        var run = cli.Run(Train(more));
        Assert.True(run.ExitCode == 0, run.Stderr);
        string sig = Regex.Match(run.Stdout + run.Stderr, @"sig\s+([0-9a-f]{8})").Groups[1].Value;
        Assert.NotEmpty(sig);
        return sig;
    }

    static void AssertOneLineError(LoomCli.Result run, int exitCode, params string[] expected)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.DoesNotContain("   at ", run.Stderr); // no stack trace; a log line may come before the error
        string error = run.Stderr.Trim().Split('\n')[^1];
        Assert.StartsWith("loom: error: ", error);
        foreach (var e in expected) Assert.Contains(e, error);
    }

    static void Truncate(string path) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]);

    [Fact]
    public void ATruncatedHistoryIsNamedByInfoAndRewrittenByTheNextTrain()
    {
        string sig = TrainedSig();
        string history = Path.Combine(cli.XpFolder(sig), "history.json");
        Truncate(history);

        AssertOneLineError(cli.Run("info", "-f", sig, "--metrics", $"--outputs={cli.Outputs}"), 2, history + " is damaged", "delete it");
        AssertOneLineError(cli.Run("report", sig, $"--outputs={cli.Outputs}"), 2, history + " is damaged", "delete it");

        var resumed = cli.Run(Train()); // the checkpoint holds the history: the resume rewrites the file
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Single(JsonNode.Parse(File.ReadAllText(history))!.AsArray());
    }

    [Fact]
    public void AGarbageArgvIsNamedWithWhatToDo()
    {
        string sig = TrainedSig();
        string argv = Path.Combine(cli.XpFolder(sig), ".argv.json");
        File.WriteAllText(argv, "[\"model=mlp\", \"data.lim");
        AssertOneLineError(cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}"), 2, argv + " is damaged", "restore it");
        File.WriteAllBytes(argv, [0xff, 0x00, 0x13, 0x37]);
        AssertOneLineError(cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}"), 2, argv + " is damaged");
    }

    [Fact]
    public void AHandEditedConfigYamlIsNotReadAndTheNextTrainRewritesIt()
    {
        string sig = TrainedSig();
        string config = Path.Combine(cli.XpFolder(sig), "config.yaml");
        string written = File.ReadAllText(config);
        File.WriteAllText(config, "model: {name: [unclosed\n");

        var info = cli.Run("info", "-f", sig, $"--outputs={cli.Outputs}"); // the XP is its .argv.json, recomposed
        Assert.True(info.ExitCode == 0, info.Stderr);
        var resumed = cli.Run(Train());
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(written, File.ReadAllText(config));
    }

    [Fact]
    public void ACorruptedJobsDbIsNamedWithWhatToDo()
    {
        string sig = TrainedSig();
        string db = Path.Combine(cli.Outputs, ".loom", "jobs.db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        File.WriteAllText(db, "this is not an SQLite database, someone edited it by hand\n" + new string('x', 4096));
        AssertOneLineError(cli.Run("cancel", "-f", sig, $"--outputs={cli.Outputs}"), 2, db + " is damaged", "move it aside");
    }

    [Fact]
    public void AJobsDbDamagedBeyondItsHeaderIsNamedWithWhatToDo()
    {
        string sig = TrainedSig();
        string db = Path.Combine(cli.Outputs, ".loom", "jobs.db");
        // A real queue holding the XP's job, written by the store itself, then every page after the first (the
        // header and the schema) overwritten: SQLite opens it, and fails only when a statement reads a table.
        using (var store = new Loom.Scheduling.JobStore(db))
            store.Submit([new Loom.Scheduling.JobRequest(sig, ["model=mlp"], LoomCli.ConfDir, cli.Outputs, cli.XpFolder(sig), new Loom.Scheduling.Resources(Cpus: 1))]);
        foreach (var side in new[] { "-wal", "-shm" }) File.Delete(db + side); // checkpointed into jobs.db when the store closed
        var bytes = File.ReadAllBytes(db);
        Assert.True(bytes.Length > 4096, $"jobs.db has {bytes.Length} bytes");
        for (int i = 4096; i < bytes.Length; i++) bytes[i] = (byte)(0xA5 ^ i);
        File.WriteAllBytes(db, bytes);

        AssertOneLineError(cli.Run("cancel", "-f", sig, $"--outputs={cli.Outputs}"), 2, db + " is damaged", "malformed", "move it aside");
        AssertOneLineError(cli.Run("grid", "lecture", "--dry-run", $"--outputs={cli.Outputs}"), 2, db + " is damaged", "move it aside");
    }

    [Fact]
    public void ACheckpointCopiedFromAnotherModelIsRefusedInOneLine()
    {
        string mlp = TrainedSig();
        string cnn = TrainedSig("model=cnn", "model.channels=8");
        File.Copy(Path.Combine(cli.XpFolder(mlp), "checkpoint.last"), Path.Combine(cli.XpFolder(cnn), "checkpoint.last"), overwrite: true);
        File.Delete(Path.Combine(cli.XpFolder(cnn), "checkpoint.prev"));

        AssertOneLineError(cli.Run(Train("model=cnn", "model.channels=8")), 1, "checkpoint.last", "does not fit", "restart=true");
    }
}
