// `loom grid` at scale, end to end through the real executable (piped, so the plain table):
//  - scheduling: `loom grid thousand --no-monitor` on an empty outputs folder composes 1,000 XPs, submits them
//    (one SQLite transaction) and prints the table; then `-C` cancels them all before any real work piles up;
//  - table: every XP then gets a 50-epoch history.json and `loom grid thousand --no-monitor` (nothing to submit)
//    is timed again; the Spectre (terminal) rendering of the same table is timed in-process.
// Rounds alternate on fresh folders; medians and min–max.
//   dotnet run -c Release --project bench/grid -- [rounds]   (builds the Release loom too)
using System.Diagnostics;
using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Grids;
using Loom.Tables;

string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
if (args is ["stages", var dir]) { Stages.Run(root, dir); return; }
int rounds = args.Length > 0 ? int.Parse(args[0]) : 3;
// The loom of the same configuration as this benchmark (Release under `dotnet run -c Release`).
string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
string loom = Path.Combine(root, "src/Loom.Cli/bin", configuration, "net10.0/loom");
string grids = typeof(ThousandGrid).Assembly.Location;
var schedule = new List<double>(); var table = new List<double>(); var spectre = new List<double>(); var startup = new List<double>();

for (int r = 0; r < rounds; r++)
{
    string outputs = Directory.CreateTempSubdirectory("loom-grid-bench-").FullName;
    startup.Add(Time(() => Loom("grid", "nope")));
    schedule.Add(Time(() => Loom("grid", "thousand", "--no-monitor", "--jobs", "1")));
    Loom("grid", "thousand", "-C");
    foreach (var sig in SigsOf(outputs)) WriteHistory(Path.Combine(outputs, "xps", sig), 50);
    table.Add(Time(() => Loom("grid", "thousand", "--no-monitor")));
    var xps = GridCatalog.Explore("thousand", new ThousandGrid(), argv => Xp.Create(Path.Combine(root, "conf"), argv, outputs));
    spectre.Add(Time(() => SpectreTable(xps)));
    if (Environment.GetEnvironmentVariable("KEEP") is null) Directory.Delete(outputs, recursive: true); else Console.WriteLine(outputs);

    double Time(Action a) { var c = Stopwatch.StartNew(); a(); return c.Elapsed.TotalSeconds; }

    string Loom(params string[] a)
    {
        var psi = new ProcessStartInfo(loom) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = outputs };
        foreach (var x in a.Concat(["--grids", grids, "--outputs", outputs])) psi.ArgumentList.Add(x);
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return text;
    }
}

Console.WriteLine($"loom startup (`loom grid nope`, error path)       {Summary(startup)}");
Console.WriteLine($"loom grid: compose + submit 1,000 XPs + table  {Summary(schedule)}");
Console.WriteLine($"loom grid: table of 1,000 XPs × 50 epochs      {Summary(table)}");
Console.WriteLine($"in-process: read + Spectre table, 1,000 × 50   {Summary(spectre)}");

static string Summary(List<double> s)
{
    var o = s.Order().ToList();
    return $"median {o[o.Count / 2]:F3} s (min {o[0]:F3}, max {o[^1]:F3}, {o.Count} rounds)";
}

// The sigs of the grid, from the members file `loom grid` keeps.
static IEnumerable<string> SigsOf(string outputs) =>
    JsonNode.Parse(File.ReadAllText(Path.Combine(outputs, "grids", "thousand", "members.json")))!.AsArray().Select(n => n!.GetValue<string>());

static void WriteHistory(string folder, int epochs)
{
    Directory.CreateDirectory(folder);
    var rng = new Random(folder.GetHashCode());
    var history = new History();
    for (int e = 1; e <= epochs; e++)
        history.Add(new JsonObject
        {
            ["epoch"] = e,
            ["train"] = new JsonObject { ["loss"] = rng.NextDouble(), ["accuracy"] = rng.NextDouble() },
            ["valid"] = new JsonObject { ["loss"] = rng.NextDouble(), ["accuracy"] = rng.NextDouble() },
            ["test"] = new JsonObject { ["loss"] = rng.NextDouble(), ["accuracy"] = rng.NextDouble() },
            ["lr"] = 0.1, ["duration"] = 1.5, ["samples_per_second"] = 2000.0,
        });
    File.WriteAllText(Path.Combine(folder, History.FileName), history.ToJson());
}

// What `loom grid` does after composing, with the terminal renderer: histories read in parallel, table built, Spectre output.
static void SpectreTable(IReadOnlyList<GridXp> xps)
{
    var metrics = new XpMetrics[xps.Count];
    Parallel.For(0, xps.Count, i => metrics[i] = XpMetrics.Read(xps[i].Xp.Folder));
    var table = GridTable.Build(xps.Select((x, i) => new XpStatus(i, x.Xp, null, metrics[i])).ToList());
    if (!table.Headers.Contains("train loss") || table.Rows[0][5] != "50") throw new InvalidOperationException("no metrics in the table");
    TableRenderer.Write(table, new StringWriter(), terminal: true, width: 200);
}
