using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Tables;
using Loom.Scheduling;

namespace Loom.Grids.Tests;

/// <summary>The job store's guarantees and the table, on temporary folders.</summary>
public sealed class StoreAndTableTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("loom-store-test-").FullName;
    static readonly string Conf = Path.Combine(Cli.RepoRoot, "conf");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static JobRequest Request(string sig) => new(sig, [$"x={sig}"], "/conf", "/out", $"/out/xps/{sig}", new Resources(1));

    [Fact]
    public void ConcurrentSubmittersNeverGiveAnXpTwoActiveJobs()
    {
        string db = Path.Combine(dir, "jobs.db");
        var requests = Enumerable.Range(0, 50).Select(i => Request($"sig{i:D5}")).ToList();
        // Eight connections submit overlapping halves at once, in different orders.
        Parallel.For(0, 8, k =>
        {
            using var store = new JobStore(db);
            var mine = (k % 2 == 0 ? requests : requests.AsEnumerable().Reverse()).Where((_, i) => (i + k) % 3 != 0).ToList();
            var jobs = store.Submit(mine);
            Assert.Equal(mine.Select(m => m.Sig), jobs.Select(j => j.Request.Sig));
        });
        using var check = new JobStore(db);
        Assert.Equal(50, check.Active().Count);
        Assert.Equal(50, check.Active().Select(j => j.Request.Sig).Distinct().Count());
    }

    [Fact]
    public void ADamagedSlurmDbIsOneLineNamingItWhetherItsHeaderOrItsPagesAreHit()
    {
        string db = Path.Combine(dir, "slurm.db");
        using (var store = new Loom.Scheduling.Slurm.SlurmStore(db))
            store.Reserve([Request("cccc0001")], requests => requests.Select(r => (r, "token", (int?)null, (string?)"code")).ToList());
        foreach (var side in new[] { "-wal", "-shm" }) File.Delete(db + side); // checkpointed into slurm.db when the store closed
        var bytes = File.ReadAllBytes(db);
        Assert.True(bytes.Length > 4096, $"slurm.db has {bytes.Length} bytes");
        for (int i = 4096; i < bytes.Length; i++) bytes[i] = (byte)(0xA5 ^ i); // the header and schema intact, the tables not
        File.WriteAllBytes(db, bytes);
        var pages = Assert.Throws<Loom.IO.DamagedFileException>(() => { using var store = new Loom.Scheduling.Slurm.SlurmStore(db); store.All(); });
        Assert.Contains(db + " is damaged", pages.Message);
        Assert.Contains("malformed", pages.Message);
        Assert.Contains("scancel", pages.Message);
        Assert.DoesNotContain("\n", pages.Message);

        File.WriteAllText(db, "not an SQLite database\n" + new string('x', 4096));
        var header = Assert.Throws<Loom.IO.DamagedFileException>(() => new Loom.Scheduling.Slurm.SlurmStore(db).Dispose());
        Assert.Contains(db + " is damaged", header.Message);
    }

    [Fact]
    public void FinalStatesAreWrittenOnceAndCancelOnlyTouchesActiveJobs()
    {
        using var store = new JobStore(Path.Combine(dir, "jobs.db"));
        var job = store.Submit([Request("aaaa0001")])[0];
        Assert.True(store.Claim(job.Id));
        Assert.False(store.Claim(job.Id));
        Assert.Equal([job.Id], store.Cancel([job.Id]).Select(j => j.Id)); // was running: its process must be killed
        Assert.False(store.Finish(job.Id, JobState.Failed, null, 9, null)); // the cancel came first and stays
        Assert.Equal(JobState.Cancelled, store.Get(job.Id)!.State);
        Assert.Empty(store.Cancel([job.Id]));
        var again = store.Submit([Request("aaaa0001")])[0]; // no active job left: a new one
        Assert.NotEqual(job.Id, again.Id);
        Assert.False(store.IfIdle(() => throw new InvalidOperationException("not idle")));
    }

    [Fact]
    public void ClaimedJobsWithoutWorkerGoBackToTheQueue()
    {
        using var store = new JobStore(Path.Combine(dir, "jobs.db"));
        var job = store.Submit([Request("bbbb0001")])[0];
        store.Claim(job.Id);
        Assert.True(store.Requeue(job.Id));
        Assert.Equal(JobState.Pending, store.Get(job.Id)!.State);
        store.Claim(job.Id);
        store.SetProcess(job.Id, 12345, 1);
        Assert.False(store.Requeue(job.Id)); // a worker reported: never started twice
    }

    static XpStatus Status(int index, string[] argv, double? trainLoss, double? acc, JobState? state)
    {
        var xp = Xp.Create(Conf, argv, "/tmp/loom-unit");
        var values = new Dictionary<string, double>();
        if (trainLoss is double l) values["train.loss"] = l;
        if (acc is double a) values["test.accuracy"] = a;
        return new XpStatus(index, xp, state is JobState s ? new JobInfo($"{index + 1}", xp.Sig, s) : null,
            values.Count == 0 ? XpMetrics.None : new XpMetrics(3, values));
    }

    [Fact]
    public void TablePrintsTheBaseNameOnceAndPlainTextWhenPiped()
    {
        var rows = new[]
        {
            Status(0, ["model=mlp", "optim.lr=0.5"], 0.25, 0.9, JobState.Completed),
            Status(1, ["model=mlp", "optim.lr=0.01"], null, null, JobState.Pending),
        };
        var table = GridTable.Build(rows);
        Assert.Equal("model=mlp", table.BaseName);
        var text = new StringWriter();
        TableRenderer.Write(table, text, terminal: false);
        var lines = text.ToString().Split('\n');
        Assert.Equal("Base name: model=mlp", lines[0]);
        Assert.Equal(["idx", "name", "state", "sig", "job", "epoch", "train", "loss", "test", "acc"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\s*0\s+opt\.lr=0\.5\s+COM\s+\w{8}\s+1\s+3\s+0\.2500\s+90\.00$", lines[2]);
        Assert.Matches(@"^\s*1\s+opt\.lr=0\.01\s+PEN\s+\w{8}\s+2$", lines[3]);
        Assert.DoesNotContain("\u001b", text.ToString());
        var ansi = new StringWriter();
        TableRenderer.Write(table, ansi, terminal: true);
        Assert.Contains("\u001b[", ansi.ToString());
    }

    [Fact]
    public void MetricColumnsComeFromTheHistoriesOrFromTheGrid()
    {
        var xp = Xp.Create(Conf, ["optim.lr=0.5"], "/tmp/loom-unit");
        var values = new Dictionary<string, double> { ["epoch"] = 2, ["valid.loss"] = 1, ["valid.perplexity"] = 2.7, ["lr"] = 0.1,
            ["train.loss"] = 1.5, ["train.perplexity"] = 4.4, ["extra.bleu"] = 0.3 };
        var rows = new[] { new XpStatus(0, xp, null, new XpMetrics(2, values)) };
        // Any task's metrics, train/valid/test first, each split's metrics in history order; top-level lr/epoch left out.
        Assert.Equal(["train.loss", "train.perplexity", "valid.loss", "valid.perplexity", "extra.bleu"], GridTable.MetricKeys(rows));
        var declared = GridTable.Build(rows, ["valid.perplexity", "train.loss"]);
        Assert.Equal(["valid", "perplexity", "train", "loss"], declared.Headers.Skip(6).SelectMany(h => h.Split(' ')));
        Assert.Equal(["2.7000", "1.5000"], declared.Rows[0].Skip(6));
    }

    [Fact]
    public void XpsDifferingOnlyBySeedAggregateToMeanAndStd()
    {
        var rows = new[]
        {
            Status(0, ["optim.lr=0.5", "seed=1"], 1.0, 0.80, JobState.Completed),
            Status(1, ["optim.lr=0.5", "seed=2"], 3.0, 0.90, JobState.Running),
            Status(2, ["optim.lr=0.01", "seed=1"], 2.0, 0.70, JobState.Completed),
        };
        var table = SeedAggregation.Build(rows);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("opt.lr=0.5", table.Rows[0][1]);
        Assert.Equal("COM/RUN", table.Rows[0][2]);
        Assert.EndsWith("×2", table.Rows[0][3]);
        Assert.Equal("2.0000 ± 1.4142", table.Rows[0][6]);
        Assert.Equal("85.00 ± 7.07", table.Rows[0][7]);
        Assert.Equal("70.00 ± 0.00", table.Rows[1][7]);
    }

    [Fact]
    public void MetricsComeFromTheLastOrTheTrimmedEpoch()
    {
        var history = new JsonArray(Enumerable.Range(1, 5).Select(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e, ["train"] = new JsonObject { ["loss"] = 1.0 / e, ["accuracy"] = 0.1 * e }, ["lr"] = 0.1,
        }).ToArray());
        File.WriteAllText(Path.Combine(dir, History.FileName), history.ToJsonString());
        var last = XpMetrics.Read(dir);
        Assert.Equal(5, last.Epochs);
        Assert.Equal(0.2, last.Values["train.loss"], 9);
        var trimmed = XpMetrics.Read(dir, trim: 2);
        Assert.Equal(2, trimmed.Epochs);
        Assert.Equal(0.5, trimmed.Values["train.loss"], 9);
        Assert.Equal(0, XpMetrics.Read(Path.Combine(dir, "missing")).Epochs);
    }
}
