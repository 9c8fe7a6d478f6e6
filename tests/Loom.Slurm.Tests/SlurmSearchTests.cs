using System.Text.Json;
using Loom.Scheduling.Slurm;
using Loom.Searches;

namespace Loom.Slurm.Tests;

/// <summary>
/// A search whose trials are Slurm jobs: 3 trials of a small MLP on 400 samples, 2 at once, successive halving at
/// 1 and 2 epochs (η = 2), so that at least one trial is promoted by resuming its XP in a second Slurm job.
/// </summary>
public sealed class SlurmTinySearch : Search
{
    public override SearchSpace Space => new SearchSpace().Float("optim.lr", 1e-2, 0.3, log: true);
    public override IReadOnlyList<string> Fixed => ["model=mlp", "data.limit=400", "data.valid_fraction=0.2", "threads=1", "progress=none"];
    public override string Objective => "valid.accuracy";
    public override int Trials => 3;
    public override int Parallel => 2;
    public override int Epochs => 2;
    public override ISampler Sampler => new RandomSampler(Seed);
    public override IPruner Pruner => new SuccessiveHalvingPruner(1, Epochs, eta: 2);
}

/// <summary>`loom search --scheduler slurm` through the real CLI and the real single-node Slurm.</summary>
[Collection("slurm")]
public sealed class SlurmSearchTests
{
    static readonly string Build = Path.Combine(SlurmCluster.RepoRoot, "src/Loom.Cli/bin", SlurmFixture.Configuration, "net10.0");

    [Fact]
    public async Task A_search_runs_its_trials_as_slurm_jobs_and_promotes_by_resuming_the_xp()
    {
        string work = Directory.CreateTempSubdirectory("loom-slurm-search-").FullName;
        string outputs = Path.Combine(work, "out");
        try
        {
            var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(Build, "loom")) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "search", "slurm_tiny_search", "--grids", typeof(SlurmTinySearch).Assembly.Location, "--scheduler", "slurm", "-i", "1", "--outputs", outputs })
                info.ArgumentList.Add(a);
            info.Environment["NO_COLOR"] = "1";
            using var p = System.Diagnostics.Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
            {
                try { await p.WaitForExitAsync(limit.Token); }
                catch (OperationCanceledException) { p.Kill(true); throw new TimeoutException("loom search on Slurm ran past 5 minutes"); }
            }
            string output = await stdout, errors = await stderr;
            Assert.True(p.ExitCode == 0, output + errors);
            Assert.Contains("budget spent (3 trials)", output);

            var state = JsonSerializer.Deserialize<SearchState>(File.ReadAllText(Path.Combine(outputs, "searches", "slurm_tiny_search", SearchState.FileName)),
                new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;
            Assert.Equal(3, state.Trials.Select(t => t.Sig).Distinct().Count());
            Assert.All(state.Trials, t => Assert.NotEqual(TrialState.Running, t.State));

            // Every trial ran as a Slurm job (an id from sbatch), one submission per rung reached, none twice.
            using (var store = new SlurmStore(new SlurmPaths(outputs).Database))
            {
                var rows = store.Latest(state.Trials.Select(t => t.Sig));
                Assert.All(state.Trials, t => Assert.Matches(@"^\d+(_\d+)?$", rows[t.Sig].SlurmId ?? "(none)"));
            }
            int rungsReached = state.Trials.Sum(t => Math.Max(1, t.Values.Count));
            Assert.True(rungsReached == Directory.GetDirectories(Path.Combine(outputs, ".loom", "slurm")).Length,
                $"{rungsReached} rungs reached, {Directory.GetDirectories(Path.Combine(outputs, ".loom", "slurm")).Length} submissions: {output}");

            // The promoted trials continued the same XP from its checkpoint, in a second Slurm job.
            var complete = state.Trials.Where(t => t.State == TrialState.Complete).ToList();
            Assert.NotEmpty(complete);
            foreach (var t in complete)
            {
                string folder = Path.Combine(outputs, "xps", t.Sig);
                Assert.Equal([1, 2], t.Values.Keys);
                Assert.Contains("resuming from epoch 1", File.ReadAllText(Path.Combine(folder, "train.log")));
                Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "history.json"))).RootElement.GetArrayLength());
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}
