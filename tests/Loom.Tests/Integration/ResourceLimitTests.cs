using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Loom.Tests.Integration;

/// <summary>
/// Settings that ask more than the machine or the data set has, through the real CLI on real Fashion-MNIST
/// (docs/configuration.md, "Resources beyond the machine"): thread counts are clamped to the cores with one warning
/// (`info` and `train` alike), a process count beyond the cores is refused by both before anything is created, a
/// batch or a limit beyond the data set trains with a warning, and a model beyond the memory is one line — never a
/// hang, never minutes of silence.
/// </summary>
public sealed class ResourceLimitTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly int Cores = Environment.ProcessorCount;

    string[] Train(params string[] more) =>
        ["train", "data.limit=300", "epochs=1", "progress=none", "model=mlp", "model.hidden=16", $"loom.outputs={cli.Outputs}", .. more];

    static string ErrorLine(LoomCli.Result r) => r.Stderr.Split('\n').Single(l => l.StartsWith("loom: error:", StringComparison.Ordinal));

    [Fact]
    public void ThreadsAndWorkersBeyondTheCoresAreClampedWithOneWarningByInfoAndTrain()
    {
        string[] huge = ["threads=100000", "data.workers=100000"]; // before the clamp: 100,000 OpenMP threads, never started in minutes
        string threads = $"threads=100000: more than the {Cores} cores of this machine; {Cores} are used";
        string workers = $"data.workers=100000: more than the {Cores} cores of this machine; {Cores} are used";

        var info = cli.Run(["info", .. Train(huge)[1..]]);
        Assert.True(info.ExitCode == 0, info.Stderr);
        Assert.Single(info.Stderr.Split('\n'), l => l.StartsWith("loom: warning: " + threads, StringComparison.Ordinal));
        Assert.Single(info.Stderr.Split('\n'), l => l.StartsWith("loom: warning: " + workers, StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        var run = cli.Run(TimeSpan.FromMinutes(2), Train(huge));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        string log = File.ReadAllText(Path.Combine(folder, "train.log"));
        Assert.Contains(threads, log);
        Assert.Contains(workers, log);
        Assert.Contains($"data loader: {Cores} worker", log);
        // The process ran with the clamped count (ranks.json records it).
        Assert.Equal(Cores, JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "ranks.json")))!.AsArray().Single()!["threads"]!.GetValue<int>());
    }

    [Fact]
    public void MoreProcessesThanCoresAreRefusedByInfoAndTrainBeforeAnythingIsCreated()
    {
        int ranks = Loom.Training.MachineLimits.MaxRanksPerCore * Cores + 1;
        foreach (var command in new[] { "train", "info" })
        {
            // A global batch that splits over the ranks: the refusal is about the cores, not the batch.
            var r = cli.Run(command, "-d", $"{ranks}", $"batch_size={ranks * 4}", "data.limit=300", "epochs=1", $"loom.outputs={cli.Outputs}");
            Assert.Equal(2, r.ExitCode);
            Assert.StartsWith($"loom: error: -d {ranks}: more than {Loom.Training.MachineLimits.MaxRanksPerCore} processes per core on the {Cores} cores of this machine", ErrorLine(r));
            Assert.DoesNotContain("   at ", r.Stderr);
            Assert.False(Directory.Exists(cli.Outputs), $"{command} created the outputs");
        }
        // info -d checks what train -d checks: a batch that does not split is refused by both.
        var indivisible = cli.Run("info", "-d", "2", "batch_size=33", $"loom.outputs={cli.Outputs}");
        Assert.Equal(2, indivisible.ExitCode);
        Assert.Contains("batch_size=33: not divisible by the 2 data-parallel processes", ErrorLine(indivisible));
    }

    [Fact]
    public void ABatchAndALimitBeyondTheDataSetTrainWithAWarningEach()
    {
        var run = cli.Run(Train("data.limit=100000000", "batch_size=100000", "threads=1"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        string output = run.Stdout + run.Stderr;
        Assert.Contains("data.limit=100000000: the data set has 60000 samples to train on; all 60000 are used", output);
        Assert.Contains("batch_size=100000: more than the 54000 training samples; every epoch is one batch of 54000", output);
        string folder = Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single();
        Assert.Single(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray());
    }

    [Fact]
    public void AModelBeyondTheMemoryIsOneLineNotLibtorchsStack()
    {
        var run = cli.Run(Train("model.hidden=400000000", "threads=1")); // a 784 × 4e8 weight: 1.1 TiB
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("frame #", run.Stderr);
        Assert.Matches(@"^loom: error: out of memory: libtorch could not allocate 116[0-9]\.[0-9] GiB of memory for one tensor \(this machine has [0-9.]+ GiB\); the model \(model\.\*\) or batch_size is too large for it$", ErrorLine(run));
    }
}
