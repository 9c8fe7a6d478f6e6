using System.Text.Json;
using Loom.Reporting.Commands;

namespace Loom.Report.Tests;

/// <summary>The report page in a real headless Chromium: it renders, its legend, brush and exports work.</summary>
public sealed class BrowserTests : IDisposable
{
    readonly XpFixture fx = new();
    public void Dispose() => fx.Dispose();

    [Fact]
    public void The_report_renders_in_chromium_and_its_views_respond()
    {
        // Four XPs whose final test accuracy spreads over its axis (the LR drives it), one with two seeds.
        var xps = new[]
        {
            fx.AddXp(["optim.lr=0.01"], 5), fx.AddXp(["optim.lr=0.05"], 5),
            fx.AddXp(["optim.lr=0.2", "seed=1"], 5), fx.AddXp(["optim.lr=0.2", "seed=2"], 5),
            fx.AddXp(["model=mlp", "optim.lr=1.0"], 3),
        };
        fx.SaveGrid("demo", xps);
        string html = Path.Combine(fx.Root, "report.html"), shot = Path.Combine(fx.Root, "report.png");
        string downloads = Directory.CreateDirectory(Path.Combine(fx.Root, "downloads")).FullName;
        ReportCommand.Run(fx.Conf, fx.Outputs, ["demo"], html, TextWriter.Null);

        var (code, output) = Browser.Node("drive-report.mjs", [html, shot, downloads], TimeSpan.FromMinutes(3));

        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = doc.RootElement;
        Assert.Empty(r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(xps.Length, r.GetProperty("xps").GetInt32());
        Assert.Equal(7, r.GetProperty("curveCharts").GetInt32()); // train/valid/test × loss/accuracy, and lr
        Assert.Equal(xps.Length, r.GetProperty("seriesWithPoints").GetInt32()); // one curve per XP
        string tooltip = r.GetProperty("tooltip").GetString() ?? "";
        Assert.All(xps, x => Assert.Contains(x.Sig, tooltip)); // hover: every XP's value at that epoch
        Assert.True(r.GetProperty("hiddenAfterClick").GetBoolean());
        Assert.True(r.GetProperty("pixelsChangedAfterClick").GetBoolean());
        // Seeds are aggregated by default when a group has several: 4 rows for 5 XPs.
        int before = r.GetProperty("rowsBefore").GetInt32(), after = r.GetProperty("rowsAfterBrush").GetInt32();
        Assert.Equal(4, before);
        Assert.InRange(after, 1, before - 1);
        Assert.Equal(after + 1, r.GetProperty("csvLines").GetInt32()); // header + the selected rows
        Assert.Equal("log", r.GetProperty("logAxis").GetString());

        var (width, height, colors) = PngCheck.Inspect(shot);
        Assert.True(width >= 1000 && height >= 1000, $"{width}×{height}");
        Assert.True(colors > 50, $"only {colors} colors: the screenshot looks blank");
        Assert.True(PngCheck.Inspect(Path.Combine(downloads, "parallel.png")).Colors > 20);
        var csv = File.ReadAllLines(Path.Combine(downloads, "xps.csv"));
        Assert.StartsWith("name,sig,state,epoch,", csv[0]);
        Assert.Equal(after + 1, csv.Length);
    }

    [Fact]
    public void A_search_report_draws_best_so_far_curves_and_a_marginal_per_parameter_in_chromium()
    {
        var state = fx.AddSearch("demo_search",
        [
            (0.01, "cnn", Loom.Searches.TrialState.Complete, new() { [1] = 0.5, [3] = 0.6, [9] = 0.7 }),
            (0.1, "mlp", Loom.Searches.TrialState.Pruned, new() { [1] = 0.4 }),
            (0.3, "cnn", Loom.Searches.TrialState.Failed, new()),
            (0.05, "mlp", Loom.Searches.TrialState.Complete, new() { [1] = 0.55, [3] = 0.65, [9] = 0.66 }),
            (0.2, "cnn", Loom.Searches.TrialState.Complete, new() { [1] = 0.6, [3] = 0.7, [9] = 0.8 }),
        ], finished: [1, 0, 3, 2, 4]);
        string html = Path.Combine(fx.Root, "search.html"), shot = Path.Combine(fx.Root, "search.png");
        ReportCommand.Run(fx.Conf, fx.Outputs, ["demo_search"], html, TextWriter.Null);

        var (code, output) = Browser.Node("drive-search.mjs", [html, shot], TimeSpan.FromMinutes(3));

        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = doc.RootElement;
        Assert.Empty(r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.True(r.GetProperty("sectionVisible").GetBoolean());
        Assert.Contains("5 trials, 3 complete, 1 pruned", r.GetProperty("summary").GetString());
        Assert.Contains("higher is better", r.GetProperty("summary").GetString());
        Assert.Equal(2, r.GetProperty("bestCharts").GetInt32());
        Assert.Equal(2, r.GetProperty("marginalCharts").GetInt32()); // optim.lr and model
        Assert.Equal(state.Trials.Count, r.GetProperty("parallelLines").GetInt32()); // the grid's parallel coordinates, one line per trial

        var charts = r.GetProperty("charts");
        double[][] Points(string chart, int series) => charts.GetProperty(chart).GetProperty("series")[series].EnumerateArray()
            .Select(p => p.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray()).ToArray();
        Assert.Equal([[2, 0.7], [3, 0.7], [4, 0.7], [5, 0.8]], Points("best-trials", 0));
        Assert.Equal([[10, 0.7], [19, 0.7], [19, 0.7], [28, 0.8]], Points("best-epochs", 0));
        Assert.Equal("trials finished", charts.GetProperty("best-trials").GetProperty("xName").GetString());
        Assert.Equal("epochs spent", charts.GetProperty("best-epochs").GetProperty("xName").GetString());
        var lr = charts.GetProperty("marginal:optim.lr");
        Assert.Equal("log", lr.GetProperty("x").GetString()); // searched on a log scale
        Assert.Equal([[0.01, 0.7], [0.05, 0.66], [0.2, 0.8]], Points("marginal:optim.lr", 0)); // complete trials
        Assert.Equal([[0.1, 0.4]], Points("marginal:optim.lr", 1)); // pruned, at its rung; the failed one is absent
        Assert.Equal("category", charts.GetProperty("marginal:model").GetProperty("x").GetString());
        Assert.Equal(3, Points("marginal:model", 0).Length);
        Assert.Contains("trial 0", r.GetProperty("tooltip").GetString());
        Assert.All(r.GetProperty("drawn").EnumerateObject(), c => Assert.True(c.Value.GetInt32() > 3000, $"{c.Name} looks blank"));
        Assert.True(PngCheck.Inspect(shot).Colors > 50);
    }
}
