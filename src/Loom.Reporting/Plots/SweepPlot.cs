using ScottPlot;

namespace Loom.Reporting.Plots;

/// <summary>
/// A hyper-parameter sweep as a PNG: the final value of a metric against a numeric hyper-parameter, one line
/// per value of another (the lecture's "final train loss vs λ, one line per optimizer"). XPs at the same point
/// (seeds) are averaged. An XP that failed without a finite value (a diverged run) is drawn as a cross above
/// the curves, so divergence shows instead of vanishing. The x axis is logarithmic when the values are
/// positive and span a factor of 10 or more (λ, learning rates, weight decays, batch sizes 16…1024).
/// </summary>
public static class SweepPlot
{
    /// <summary>Draws <paramref name="spec"/> for <paramref name="data"/>'s XPs into a PNG file.</summary>
    public static void Save(ReportData data, SweepSpec spec, string path, int width = CurvePlot.DefaultWidth, int height = CurvePlot.DefaultHeight, bool logScale = false)
    {
        if (!data.Metrics.Contains(spec.Metric))
            throw new ReportException($"--metric {spec.Metric}: no XP recorded it; the metrics are: {(data.Metrics.Count == 0 ? "(none: no history yet)" : string.Join(", ", data.Metrics))}");
        foreach (var key in new[] { spec.X, spec.Per }.OfType<string>())
            if (!data.Params.Contains(key))
                throw new ReportException($"--metric '... {key}': no XP changed {key}; the hyper-parameters are: {(data.Params.Count == 0 ? "(none)" : string.Join(", ", data.Params))}");
        var points = data.Xps.Select(xp => (Xp: xp, X: xp.Params[spec.X], Line: spec.Per is null ? "" : Text(xp.Params[spec.Per]))).ToList();
        if (points.FirstOrDefault(p => p.X is not double) is { Xp: not null } bad)
            throw new ReportException($"--metric '... vs {spec.X}': {spec.X} is not a number for XP {bad.Xp.Sig} ({Text(bad.X)})");
        var xs = points.Select(p => (double)p.X!).ToList();
        bool logX = xs.All(x => x > 0) && xs.Max() / xs.Min() >= 10;
        PlotFonts.EnsureLoaded();
        bool percent = data.IsPercent(spec.Metric);
        double Y(double v) => logScale ? Math.Log10(v) : percent ? 100 * v : v;
        double X(double v) => logX ? Math.Log10(v) : v;

        var plot = new Plot();
        var lines = points.Select(p => p.Line).Distinct().ToList();
        var failed = new List<(double X, int Line)>();
        var drawnY = new List<double>();
        foreach (var (name, i) in lines.Select((n, i) => (n, i)))
        {
            var color = Palette.Colors[i % Palette.Colors.Length];
            var line = points.Where(p => p.Line == name).GroupBy(p => (double)p.X!).OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Values: g.Select(p => p.Xp.Final[spec.Metric]).OfType<double>().Where(v => !logScale || v > 0).ToList(),
                              Failed: g.Any(p => p.Xp.State == "FAILED" && p.Xp.Final[spec.Metric] is null))).ToList();
            var drawn = line.Where(p => p.Values.Count > 0).ToList();
            failed.AddRange(line.Where(p => p.Values.Count == 0 && p.Failed).Select(p => (p.X, i)));
            if (drawn.Count == 0) continue;
            var scatter = plot.Add.ScatterLine(drawn.Select(p => X(p.X)).ToArray(), drawn.Select(p => Y(p.Values.Average())).ToArray());
            scatter.LegendText = spec.Per is null ? spec.Metric : $"{spec.Per}={name}";
            scatter.Color = color;
            scatter.LineWidth = 2;
            scatter.MarkerSize = 7;
            drawnY.AddRange(scatter.Data.GetScatterPoints().Select(c => c.Y));
        }
        if (failed.Count > 0)
        {
            // Beyond the worst drawn value (above a loss, below an accuracy): a run that diverged is worse than any that finished.
            double top = drawnY.Count == 0 ? 0 : drawnY.Max(), bottom = drawnY.Count == 0 ? 0 : drawnY.Min(), span = drawnY.Count < 2 ? 1 : top - bottom;
            double yFailed = percent ? bottom - 0.12 * span : top + 0.12 * span;
            foreach (var group in failed.GroupBy(f => f.Line))
            {
                var marks = plot.Add.Scatter(group.Select(f => X(f.X)).ToArray(), group.Select(_ => yFailed).ToArray());
                marks.LineWidth = 0;
                marks.MarkerShape = MarkerShape.Eks;
                marks.MarkerSize = 14;
                marks.Color = Palette.Colors[group.Key % Palette.Colors.Length];
            }
            var label = plot.Add.Text("× failed: no finite value (diverged)", X(xs.Min()), yFailed); // from the left: never cut off
            label.LabelFontSize = 12;
            label.LabelAlignment = percent ? Alignment.UpperLeft : Alignment.LowerLeft;
            label.LabelOffsetY = percent ? 8 : -8;
        }
        plot.Title($"final {spec.Metric} vs {spec.X}" + (spec.Per is null ? "" : $", per {spec.Per}") + $" — {data.Title}");
        plot.XLabel(spec.X + (logX ? " (log scale)" : ""));
        plot.YLabel(percent ? $"final {spec.Metric} (%)" : $"final {spec.Metric}" + (logScale ? " (log scale)" : ""));
        // A tick at each swept value, labelled with it (a log axis would otherwise label 15.8, 25.1, …).
        var ticks = xs.Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(X).ToArray(), ticks.Select(v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        if (logScale) plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => $"{Math.Pow(10, v):G3}" };
        plot.ShowLegend(Edge.Bottom);
        PngFile.Write(path, plot, width, height);
    }

    static string Text(object? value) => value switch { null => "(none)", double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), _ => value.ToString()! };

    static readonly ScottPlot.Palettes.Category10 Palette = new();
}
