using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Grids;

namespace Loom.Distributed.Tests;

/// <summary>A grid with one 2-rank XP (Dora's `slurm_(gpus=2)` counterpart), run by the local scheduler.</summary>
public sealed class DataParallelGrid : Grid
{
    public override void Explore(Launcher launcher) =>
        launcher.Slurm(tasks: 2).Launch("model=mlp", "data.limit=2000", "epochs=2", "threads=1", "progress=plain");
}

/// <summary>
/// `loom train -d N` end to end with the real executable and the real mpirun, on real Fashion-MNIST: N ranks ×
/// B/N give the same training as 1 process × B (to float32 rounding), a run killed for real resumes to the
/// same history, a dead rank ends the job with a line naming it, and a grid XP with `tasks: 2` completes.
/// </summary>
public sealed class LoomDataParallelTests : IDisposable
{
    readonly string work = Directory.CreateTempSubdirectory("loom-dp-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }

    static readonly string RepoRoot = FindRepoRoot();

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) dir = dir.Parent;
        return dir!.FullName;
    }

    static string LoomDll()
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Path.Combine(RepoRoot, "src", "Loom.Cli", "bin", configuration, "net10.0", "Loom.Cli.dll");
    }

    sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    Result Loom(IEnumerable<string> args, Dictionary<string, string>? env = null, int timeoutSeconds = 300)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(LoomDll());
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--conf");
        info.ArgumentList.Add(Path.Combine(RepoRoot, "conf"));
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? []) info.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException($"loom {string.Join(' ', args)}"); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    string Outputs(string name) => Path.Combine(work, name);

    JsonArray Train(string outputs, int ranks, params string[] overrides)
    {
        string[] d = ranks > 1 ? ["-d", ranks.ToString()] : ["threads=1"];
        var r = Loom(["train", .. d, "model=mlp", "model.hidden=32", "data.limit=1200", "epochs=2", "progress=none", $"loom.outputs={outputs}", .. overrides]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        var folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
        return JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
    }

    static void AssertSameTraining(JsonArray one, JsonArray many, double tolerance)
    {
        Assert.Equal(one.Count, many.Count);
        for (int e = 0; e < one.Count; e++)
            foreach (var split in new[] { "train", "test" })
                foreach (var metric in new[] { "loss", "accuracy" })
                {
                    double a = one[e]![split]![metric]!.GetValue<double>(), b = many[e]![split]![metric]!.GetValue<double>();
                    Assert.True(Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a)), $"epoch {e + 1} {split}.{metric}: 1 process {a}, ranks {b}");
                }
    }

    [Theory]
    [InlineData(2, "optim=sgd optim.momentum=0.9")]
    [InlineData(2, "optim=adam")]
    [InlineData(2, "optim=sgd optim.momentum=0.9 optim.accumulate=3")]
    [InlineData(2, "optim=sgd optim.momentum=0.9 data.augment.crop_padding=4 data.augment.flip=true")] // draws by (seed, epoch, sample index): each rank crops its share as one process does
    [InlineData(3, "optim=adam batch_size=48")] // 3 ranks on 2 cores: oversubscribed; 1200 = 25 × 48, 16 per rank
    public void RanksTrainLikeOneProcessWithTheWholeBatch(int ranks, string overrides)
    {
        var extra = overrides.Split(' ');
        var one = Train(Outputs("one"), 1, extra);
        var many = Train(Outputs("many"), ranks, extra);
        // Same samples, same global batches; only the summation order of the gradient differs (float32 rounding).
        AssertSameTraining(one, many, 1e-5);
    }

    [Fact]
    public void RanksJsonSaysWhereEachRankRanAndInfoShowsIt()
    {
        string outputs = Outputs("ranks");
        Train(outputs, 2);
        var folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
        var ranks = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ranks.json")))!.AsArray();
        Assert.Equal([0, 1], ranks.Select(r => r!["rank"]!.GetValue<int>()));
        Assert.All(ranks, r => Assert.Equal(Environment.MachineName, r!["host"]!.GetValue<string>()));
        Assert.Equal(2, ranks.Select(r => r!["pid"]!.GetValue<int>()).Distinct().Count());
        Assert.All(ranks, r => Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), r!["threads"]!.GetValue<int>()));
        var info = Loom(["info", "-f", Path.GetFileName(folder), "--outputs", outputs]);
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Contains($"ranks:  2 on 1 host(s)", info.Stdout);
        Assert.Contains($"{Environment.MachineName}: rank 0 (pid {ranks[0]!["pid"]}", info.Stdout);

        // One process: one rank.
        string single = Outputs("single");
        Train(single, 1);
        var one = Directory.GetDirectories(Path.Combine(single, "xps")).Single();
        var first = JsonNode.Parse(File.ReadAllText(Path.Combine(one, "ranks.json")))!.AsArray();
        Assert.Equal(0, first.Single()!["rank"]!.GetValue<int>());
        Assert.Equal(1, first.Single()!["threads"]!.GetValue<int>());
        Assert.Empty(Directory.GetFiles(one, "ranks.json.tmp*"));
    }

    [Fact]
    public void ABatchThatDoesNotSplitIsRefusedBeforeAnythingStarts()
    {
        var r = Loom(["train", "-d", "3", "batch_size=32", $"loom.outputs={Outputs("x")}"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("batch_size=32: not divisible by the 3 data-parallel processes", r.Stderr);
        Assert.False(Directory.Exists(Outputs("x")));
    }

    [Fact]
    public void AKilledTwoRankRunResumesToTheHistoryOfAnUninterruptedOne()
    {
        var straight = Train(Outputs("straight"), 2, "epochs=3");
        // Rank 1 SIGKILLs itself at the end of epoch 2; mpirun then ends the job, which fails naming the rank.
        string outputs = Outputs("killed");
        string[] args = ["train", "-d", "2", "model=mlp", "model.hidden=32", "data.limit=1200", "epochs=3", "progress=none", $"loom.outputs={outputs}"];
        var killed = Loom(args, new() { ["LOOM_TEST_ONLY_SIGKILL_AT"] = "epoch.ended@2", ["LOOM_TEST_ONLY_SIGKILL_RANK"] = "1" });
        Assert.NotEqual(0, killed.ExitCode);
        Assert.Contains("rank 1", killed.Stderr);
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(60), $"took {killed.Elapsed}");
        var resumed = Loom(args);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resumed after epoch", resumed.Stdout);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory.GetDirectories(Path.Combine(outputs, "xps")).Single(), "history.json")))!.AsArray();
        AssertSameTraining(straight, history, 0); // bit for bit: the same ranks, the same order of operations
    }

    [Fact]
    public void RestartWipesTheFolderBeforeAnyRankReadsIt()
    {
        // Rank 0 wipes and redefines the folder; the other ranks wait at a barrier, so none resumes from the old
        // checkpoint while rank 0 starts afresh (that would desynchronize their collectives).
        string outputs = Outputs("restart");
        var first = Train(outputs, 2);
        var again = Train(outputs, 2, "restart=true");
        AssertSameTraining(first, again, 0);
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public void ARankKilledMidEpochEndsTheJobWithinSecondsNamingTheRank()
    {
        var r = Loom(["train", "-d", "2", "model=mlp", "data.limit=3000", "epochs=1", "progress=none", $"loom.outputs={Outputs("dead")}"],
            new() { ["LOOM_TEST_ONLY_SIGKILL_AT"] = "train.step@20", ["LOOM_TEST_ONLY_SIGKILL_RANK"] = "1" });
        Assert.Equal(1, r.ExitCode);
        var error = r.Stderr.Split('\n').Single(l => l.StartsWith("loom: error:"));
        Assert.Contains("rank 1", error);
        Assert.Contains("signal 9", error);
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(30), $"took {r.Elapsed}");
        var strays = Process.GetProcesses().Where(p => { try { return p.ProcessName == "dotnet" && File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(Outputs("dead")); } catch { return false; } });
        Assert.Empty(strays);
    }

    [Fact]
    public void AGridXpWithTwoTasksRunsToCompletedOnTheLocalScheduler()
    {
        string outputs = Outputs("grid");
        string grids = typeof(DataParallelGrid).Assembly.Location;
        var first = Loom(["grid", "data_parallel", "--no-monitor", "--outputs", outputs, "--grids", grids]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var clock = Stopwatch.StartNew();
        string table = "";
        while (clock.Elapsed < TimeSpan.FromMinutes(4))
        {
            table = Loom(["grid", "data_parallel", "--no-monitor", "--outputs", outputs, "--grids", grids]).Stdout;
            if (table.Contains("COM") || table.Contains("FAI")) break;
            Thread.Sleep(1000);
        }
        Assert.Contains("COM", table);
        var folder = Directory.GetDirectories(Path.Combine(outputs, "xps")).Single();
        Assert.True(File.Exists(Path.Combine(folder, "worker_1.log")), "rank 1 logs to worker_1.log");
        Assert.Equal(2, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray().Count);
    }
}
