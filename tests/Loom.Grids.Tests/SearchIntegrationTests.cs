using System.Text.Json;
using Loom.Searches;

namespace Loom.Grids.Tests;

/// <summary>`loom search` through the real executable, the local scheduler and real trainings.</summary>
public class SearchIntegrationTests
{
    [Theory]
    [InlineData("misspelled_objective_search", "objective valid.acuracy is not a metric the task writes")]
    [InlineData("test_split_objective_search", "objective test.accuracy cannot select trials (monitor=test.accuracy: the test split never selects the model")]
    [InlineData("missing_key_search", "did you mean optim.lr?")]
    [InlineData("small_eta_search", "eta (the reduction factor) must be at least 2, got 1")]
    [InlineData("no_trials_search", "a budget of at least 1 trial is needed, got Trials=0")]
    [InlineData("nope", "no search named 'nope'")]
    public void Bad_searches_exit_2_with_one_line_and_schedule_nothing(string name, string message)
    {
        using var cli = new Cli();
        var r = cli.Run("search", name, "--grids", Cli.TestAssembly, "--no-monitor");
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(cli.Outputs, "searches")), "a search folder was created");
        Assert.False(Directory.Exists(Path.Combine(cli.Outputs, "xps")), "an XP was created");
    }

    [Fact]
    public void The_objective_direction_is_the_one_the_task_declares_for_its_metric()
    {
        // `valid.loss` is declared lower-is-better by Loom; the search class says nothing about a direction.
        using var cli = new Cli();
        var r = cli.Run(["search", "loss_objective_search", "--grids", Cli.TestAssembly, "-i", "0.5"], timeoutSeconds: 300);
        Assert.True(r.Code == 0, r.Out + r.Err);
        var state = State(cli, "loss_objective_search");
        Assert.All(state.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        var losses = state.Trials.ToDictionary(t => t.Sig, t => t.Value!.Value);
        Assert.True(losses.Values.Distinct().Count() == 2, $"two different losses are needed: {string.Join(", ", losses.Values)}");
        string lowest = losses.MinBy(kv => kv.Value).Key;
        var best = cli.Run("search", "loss_objective_search", "--grids", Cli.TestAssembly, "--best");
        Assert.Contains($"best: trial {state.Trials.Single(t => t.Sig == lowest).Number} {lowest} valid.loss=", best.Out);
        Assert.Contains("\"goal\": \"min\"", File.ReadAllText(Path.Combine(cli.Outputs, "xps", lowest, "metrics.json")));
    }

    static SearchState State(Cli cli, string name = "tiny_search") =>
        JsonSerializer.Deserialize<SearchState>(File.ReadAllText(Path.Combine(cli.Outputs, "searches", name, SearchState.FileName)),
            new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;

    [Fact]
    public void A_driver_killed_mid_search_restarts_without_losing_or_repeating_a_trial_and_promotions_resume_checkpoints()
    {
        using var cli = new Cli();
        var dry = cli.Run("search", "tiny_search", "--grids", Cli.TestAssembly, "--dry-run");
        Assert.Equal(0, dry.Code);
        var proposed = dry.Out.Split('\n').Where(l => l.StartsWith("[dry run] would submit")).Select(l => l.Split(' ')[6]).ToList();
        Assert.Equal(2, proposed.Count);

        using (var driver = cli.Start("search", "tiny_search", "--grids", Cli.TestAssembly, "-i", "0.5"))
        {
            string statePath = Path.Combine(cli.Outputs, "searches", "tiny_search", SearchState.FileName);
            // Kill it once a trial has been promoted: a rung reached, the next one submitted, the search unfinished.
            Cli.WaitFor(() => File.Exists(statePath) && TryState(cli) is { } s && s.Trials.Any(t => t.Rung > 0), "a promotion", 300);
            driver.Kill(); // SIGKILL, the driver only: its jobs belong to the scheduler
            driver.WaitForExit();
        }
        var before = State(cli);
        Assert.True(before.Trials.Count < 4 || before.Trials.Any(t => t.State == TrialState.Running), "the driver was killed after the search ended");
        Assert.Equal(proposed, before.Trials.Take(2).Select(t => t.Sig).ToList()); // the dry run proposed what ran

        var r = cli.Run(["search", "tiny_search", "--grids", Cli.TestAssembly, "-i", "0.5"], timeoutSeconds: 600);
        Assert.Equal(0, r.Code);
        Assert.Contains("budget spent (4 trials)", r.Out);
        var after = State(cli);
        Assert.Equal(4, after.Trials.Count);
        Assert.Equal(before.Trials.Select(t => t.Sig), after.Trials.Take(before.Trials.Count).Select(t => t.Sig));
        Assert.Equal(4, after.Trials.Select(t => t.Sig).Distinct().Count());
        Assert.Equal(4, after.Finished.Distinct().Count());
        Assert.All(after.Trials, t => Assert.NotEqual(TrialState.Running, t.State));

        var jobs = cli.JobCounts();
        foreach (var t in after.Trials)
        {
            // One job per rung reached, never a second run of the same rung (no killed trial here).
            int rungsReached = t.Values.Count + (t.State == TrialState.Failed ? 1 : 0);
            Assert.True(jobs[t.Sig] <= rungsReached, $"trial {t.Number}: {jobs[t.Sig]} jobs for {rungsReached} rungs");
            string folder = Path.Combine(cli.Outputs, "xps", t.Sig);
            var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "history.json"))).RootElement;
            Assert.Equal(t.Values.Keys.Last(), history.GetArrayLength()); // trained exactly to its last rung
        }
        var complete = after.Trials.Where(t => t.State == TrialState.Complete).ToList();
        Assert.NotEmpty(complete);
        foreach (var t in complete)
        {
            // A complete trial went 1 → 2 → 4 epochs as one XP: its log shows the resumptions, its epochs continue.
            string log = File.ReadAllText(Path.Combine(cli.Outputs, "xps", t.Sig, "train.log"));
            Assert.Contains("resuming from epoch 1", log);
            Assert.Contains("resuming from epoch 2", log);
            Assert.Equal([1, 2, 4], t.Values.Keys);
        }
        Assert.Contains(after.Trials, t => t.State == TrialState.Pruned);

        var best = cli.Run("search", "tiny_search", "--grids", Cli.TestAssembly, "--best");
        Assert.Equal(0, best.Code);
        Assert.Matches(@"loom train model=mlp .*epochs=4 optim\.lr=\S+ batch_size=\d+", best.Out);
    }

    static SearchState? TryState(Cli cli)
    {
        try { return State(cli); } catch (Exception e) when (e is IOException or JsonException) { return null; }
    }
}
