using Loom.Reporting.Html;

namespace Loom.Reporting.Commands;

/// <summary>
/// `loom report GRID | SIG... -o FILE.html`: one self-contained HTML file with the curves of the XPs, the
/// parallel-coordinates view of their hyper-parameters against their metrics, and the table of a selection.
/// Reads only the XP folders and the scheduler's store.
/// </summary>
public static class ReportCommand
{
    /// <summary>Writes the report; returns the exit code. Input errors throw <see cref="ReportException"/> (exit 2 in the CLI).</summary>
    public static int Run(string confDir, string outputsRoot, IReadOnlyList<string> gridsOrSigs, string outputFile, TextWriter? log = null)
    {
        if (!outputFile.EndsWith(".html", StringComparison.OrdinalIgnoreCase) && !outputFile.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
            throw new ReportException($"-o {outputFile}: expected a file name ending in .html");
        var data = ReportData.Read(confDir, outputsRoot, gridsOrSigs);
        HtmlReport.Write(data, outputFile);
        (log ?? Console.Out).WriteLine($"Wrote {Path.GetFullPath(outputFile)}: {data.Xps.Count} XP(s), {data.Metrics.Count} metric(s){(data.Search is { } s ? $", search {s.Name} on {s.Objective}" : "")}");
        return 0;
    }
}
