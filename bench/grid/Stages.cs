using System.Diagnostics;
using Loom.Experiments;
using Loom.Grids;
using Loom.Tables;

/// <summary>`-- stages OUTPUTS`: times each stage of a `loom grid` table in-process, to see where the time goes.</summary>
static class Stages
{
    public static void Run(string root, string outputs)
    {
        var clock = Stopwatch.StartNew();
        void Lap(string what) { Console.WriteLine($"{what,-28} {clock.Elapsed.TotalMilliseconds,8:F0} ms"); clock.Restart(); }
        var xps = GridCatalog.Explore("thousand", new ThousandGrid(), argv => Xp.Create(Path.Combine(root, "conf"), argv, outputs));
        Lap("compose 1,000 XPs");
        using (var store = new Loom.Scheduling.JobStore(new Loom.Scheduling.SchedulerPaths(outputs).Database)) store.Latest(xps.Select(x => x.Xp.Sig));
        Lap("latest jobs");
        var metrics = new XpMetrics[xps.Count];
        Parallel.For(0, xps.Count, i => metrics[i] = XpMetrics.Read(xps[i].Xp.Folder));
        Lap("read histories");
        var table = GridTable.Build(xps.Select((x, i) => new XpStatus(i, x.Xp, null, metrics[i])).ToList());
        Lap("build table (names)");
        TableRenderer.Write(table, new StringWriter(), terminal: false);
        Lap("plain render");
        TableRenderer.Write(table, new StringWriter(), terminal: true, width: 200);
        Lap("spectre render (200 cols)");
        string conf = Path.Combine(root, "conf");
        for (int i = 0; i < 1000; i++) Loom.Config.ConfigComposer.ComposeDefaults(conf);
        Lap("1,000 x ComposeDefaults");
        var files = Directory.GetFiles(conf, "*.yaml", SearchOption.AllDirectories);
        for (int i = 0; i < 1000; i++) foreach (var f in files.Take(5)) Loom.Config.YamlLoader.LoadFile(f);
        Lap("5,000 x YamlLoader.LoadFile");
        for (int i = 0; i < 24_000; i++) Loom.Experiments.Fnmatch.Matches("optim.lr", "loom.*");
        Lap("24,000 x Fnmatch.Matches");
    }
}
