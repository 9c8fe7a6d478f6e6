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
}
