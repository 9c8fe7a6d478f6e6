using ScottPlot;

namespace Loom.Reporting.Plots;

/// <summary>
/// One metric's curves, one line per XP, as a PNG for terminals and papers (ScottPlot on SkiaSharp): axes,
/// a legend with the XPs' short names and a title. Accuracies are drawn as percentages.
/// Several metrics, comma-separated (`train.loss,valid.loss`), share the axes as in the lecture's figures: each
/// XP keeps one color, the first metric is drawn thin and the others bold.
/// A metric written `METRIC vs KEY [per KEY]` draws a sweep instead (<see cref="SweepPlot"/>).
/// </summary>
public static class CurvePlot
{
    public const int DefaultWidth = 900, DefaultHeight = 560;

    /// <summary>Draws <paramref name="metric"/> of <paramref name="data"/>'s XPs into a PNG file.</summary>
    public static void Save(ReportData data, string metric, string path, int width = DefaultWidth, int height = DefaultHeight, bool logScale = false)
    {
        if (SweepSpec.TryParse(metric) is { } sweep)
        {
            SweepPlot.Save(data, sweep, path, width, height, logScale);
            return;
        }
        var metrics = metric.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var m in metrics.Length == 0 ? [metric] : metrics)
            if (!data.Metrics.Contains(m))
                throw new ReportException($"--metric {m}: no XP recorded it; the metrics are: {(data.Metrics.Count == 0 ? "(none: no history yet)" : string.Join(", ", data.Metrics))}");
        if (metrics.Select(data.IsPercent).Distinct().Count() > 1)
            throw new ReportException($"--metric {metric}: accuracies (%) and other metrics cannot share an axis; plot them separately");
        if (width is < 100 or > 10_000 || height is < 100 or > 10_000)
            throw new ReportException($"--size {width}x{height}: expected between 100 and 10000 pixels each way");
        PlotFonts.EnsureLoaded();
        bool percent = data.IsPercent(metrics[0]);
        var plot = new Plot();
        for (int i = 0; i < data.Xps.Count; i++)
        {
            var xp = data.Xps[i];
            for (int j = 0; j < metrics.Length; j++)
            {
                if (!xp.Curves.TryGetValue(metrics[j], out var values)) continue;
                var points = values.Select((v, e) => (X: (double)xp.Epochs[e], Y: v))
                    .Where(p => p.Y is double y && (!logScale || y > 0))
                    .Select(p => (p.X, Y: Scale(p.Y!.Value, percent, logScale))).ToList();
                if (points.Count == 0) continue;
                var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
                string name = string.IsNullOrEmpty(xp.Name) ? $"(default) {xp.Sig}" : $"{xp.Name} {xp.Sig}";
                line.LegendText = metrics.Length == 1 ? name : $"{metrics[j]}: {name}";
                line.LineWidth = metrics.Length == 1 ? 2 : j == 0 ? 1 : 3;
                line.MarkerSize = points.Count <= 30 ? (j == 0 && metrics.Length > 1 ? 3 : 5) : 0;
                line.Color = Palette.Colors[i % Palette.Colors.Length];
            }
        }
        string what = metrics.Length == 1 ? metrics[0] : $"{metrics[0]} (thin), {string.Join(", ", metrics.Skip(1))} (bold)";
        // The shared part of the names on a line of its own: it can be long.
        plot.Title(string.IsNullOrEmpty(data.BaseName) ? $"{what} — {data.Title}" : $"{what} — {data.Title}\n{data.BaseName}");
        plot.XLabel("epoch");
        string label = metrics.Length == 1 ? metrics[0] : string.Join(", ", metrics);
        plot.YLabel(percent ? $"{label} (%)" : label + (logScale ? " (log10)" : ""));
        if (logScale) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = y => $"{Math.Pow(10, y):G3}" };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom); // below: XP names can be long
        PngFile.Write(path, plot, width, height);
    }

    /// <summary>ScottPlot has no log axis: the data are drawn as log10 and the ticks labelled with the values.</summary>
    static double Scale(double v, bool percent, bool log) => log ? Math.Log10(v) : percent ? 100 * v : v;

    static readonly ScottPlot.Palettes.Category10 Palette = new();
}
