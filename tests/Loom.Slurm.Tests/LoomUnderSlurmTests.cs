using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Slurm.Tests;

/// <summary>The real `loom` as the Slurm worker: its frozen build trains a tiny XP on Fashion-MNIST through `run -f SIG`.</summary>
[Collection("slurm")]
public sealed class LoomUnderSlurmTests
{
    [Fact]
    public void ATinyTrainingRunsAsASlurmJobOfTheFrozenLoom()
    {
        string build = Path.Combine(SlurmCluster.RepoRoot, "src/Loom.Cli/bin", SlurmFixture.Configuration, "net10.0");
        using var f = new SlurmFixture(o => o with { AppCommand = [Path.Combine(build, "loom")], AppDirectory = build });
        string conf = Path.Combine(build, "conf"); // what `loom` uses in a folder without ./conf (the jobs' --chdir)
        var xp = Xp.Create(conf, ["model=mlp", "data.limit=200", "epochs=1", "threads=1", "progress=plain"], f.Outputs);
        var job = f.Scheduler.Submit([new JobRequest(xp.Sig, xp.Argv, conf, f.Outputs, xp.Folder, new Resources(Cpus: 1))]).Single();
        f.WaitState(xp.Sig, JobState.Completed, 240);
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(xp.Folder, "history.json")))!.AsArray();
        Assert.Single(history);
        Assert.NotNull(history[0]!["train"]!["loss"]);
        Assert.Contains(Path.Combine(f.Outputs, ".loom", "code"), File.ReadAllText(Directory.GetFiles(Path.Combine(f.Outputs, ".loom", "slurm"), "job.sh", SearchOption.AllDirectories).Single()));
        Assert.Matches(@"^\d+$", job.JobId);
    }
}
