using Loom.Reporting.Plots;

namespace Loom.Reporting.Commands;

/// <summary>`loom plot GRID | SIG... --metric valid.accuracy -o curves.png`: one metric's curves as a PNG.</summary>
public static class PlotCommand
{
    /// <summary>Writes the PNG; returns the exit code. Input errors throw <see cref="ReportException"/> (exit 2 in the CLI).</summary>
    public static int Run(string confDir, string outputsRoot, IReadOnlyList<string> gridsOrSigs, string? metric, string outputFile,
        int width = CurvePlot.DefaultWidth, int height = CurvePlot.DefaultHeight, bool logScale = false, TextWriter? log = null)
    {
        if (!outputFile.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ReportException($"-o {outputFile}: expected a file name ending in .png");
        var data = ReportData.Read(confDir, outputsRoot, gridsOrSigs);
        metric ??= new[] { "valid.accuracy", "test.accuracy" }.FirstOrDefault(data.Metrics.Contains) ?? data.Metrics.FirstOrDefault() ?? "valid.accuracy";
        CurvePlot.Save(data, metric, outputFile, width, height, logScale);
        (log ?? Console.Out).WriteLine($"Wrote {Path.GetFullPath(outputFile)}: {metric} of {data.Xps.Count} XP(s)");
        return 0;
    }
}
