using ScottPlot;

namespace Loom.Reporting.Plots;

/// <summary>
/// One metric's curves, one line per XP, as a PNG for terminals and papers (ScottPlot on SkiaSharp): axes,
/// a legend with the XPs' short names and a title. Accuracies are drawn as percentages.
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
        if (!data.Metrics.Contains(metric))
            throw new ReportException($"--metric {metric}: no XP recorded it; the metrics are: {(data.Metrics.Count == 0 ? "(none: no history yet)" : string.Join(", ", data.Metrics))}");
        if (width is < 100 or > 10_000 || height is < 100 or > 10_000)
            throw new ReportException($"--size {width}x{height}: expected between 100 and 10000 pixels each way");
        PlotFonts.EnsureLoaded();
        bool percent = ReportMetrics.HigherIsBetter(metric);
        var plot = new Plot();
        for (int i = 0; i < data.Xps.Count; i++)
        {
            var xp = data.Xps[i];
            if (!xp.Curves.TryGetValue(metric, out var values)) continue;
            var points = values.Select((v, e) => (X: (double)xp.Epochs[e], Y: v))
                .Where(p => p.Y is double y && (!logScale || y > 0))
                .Select(p => (p.X, Y: Scale(p.Y!.Value, percent, logScale))).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = string.IsNullOrEmpty(xp.Name) ? $"(default) {xp.Sig}" : $"{xp.Name} {xp.Sig}";
            line.LineWidth = 2;
            line.MarkerSize = points.Count <= 30 ? 5 : 0;
            line.Color = Palette.Colors[i % Palette.Colors.Length];
        }
        plot.Title(string.IsNullOrEmpty(data.BaseName) ? $"{metric} — {data.Title}" : $"{metric} — {data.Title} ({data.BaseName})");
        plot.XLabel("epoch");
        plot.YLabel(percent ? $"{metric} (%)" : metric + (logScale ? " (log10)" : ""));
        if (logScale) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = y => $"{Math.Pow(10, y):G3}" };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom); // below: XP names can be long
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new ReportException($"{path}: folder {folder} does not exist");
        // Rendered to bytes first and written atomically: a reader never sees half an image.
        Loom.IO.AtomicFile.WriteAllBytes(full, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>ScottPlot has no log axis: the data are drawn as log10 and the ticks labelled with the values.</summary>
    static double Scale(double v, bool percent, bool log) => log ? Math.Log10(v) : percent ? 100 * v : v;

    static readonly ScottPlot.Palettes.Category10 Palette = new();
}
