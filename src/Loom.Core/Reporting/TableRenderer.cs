using System.Text;
using Spectre.Console;

namespace Loom.Reporting;

/// <summary>
/// Prints a <see cref="GridTable"/>: a Spectre.Console table (colored states) on a terminal, aligned plain
/// text with no escape codes when the output is piped or redirected.
/// </summary>
public static class TableRenderer
{
    /// <summary><paramref name="width"/>: the terminal's columns (default: what Spectre detects, 80 for a non-console writer).</summary>
    public static void Write(GridTable table, TextWriter output, bool terminal, int? width = null)
    {
        if (table.BaseName.Length > 0) output.WriteLine($"Base name: {table.BaseName}");
        if (terminal) WriteSpectre(table, output, width); else output.Write(Plain(table));
    }

    public static string Plain(GridTable table)
    {
        int n = table.Headers.Count;
        var widths = Enumerable.Range(0, n).Select(c => table.Rows.Select(r => r[c].Length).Append(table.Headers[c].Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (int c = 0; c < n; c++)
            {
                // Text columns (name, state, sig) left-aligned, numbers right-aligned.
                bool left = c is 1 or 2 or 3;
                sb.Append(left ? cells[c].PadRight(widths[c]) : cells[c].PadLeft(widths[c]));
                if (c < n - 1) sb.Append("  ");
            }
            int end = sb.Length;
            while (end > 0 && sb[end - 1] == ' ') end--;
            sb.Length = end;
            sb.Append('\n');
        }
        Line(table.Headers);
        foreach (var row in table.Rows) Line(row);
        return sb.ToString();
    }

    static void WriteSpectre(GridTable table, TextWriter output, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.Yes });
        if (width is int w) console.Profile.Width = w;
        var t = new Table().Border(TableBorder.Simple);
        for (int c = 0; c < table.Headers.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(table.Headers[c]));
            if (c is not (1 or 2 or 3)) column.RightAligned();
            t.AddColumn(column);
        }
        // Text, not markup: nothing to parse or escape in a thousand rows.
        var stateStyles = new Dictionary<string, Style>();
        foreach (var row in table.Rows)
            t.AddRow(row.Select((cell, c) => (Spectre.Console.Rendering.IRenderable)(c == 2
                ? new Text(cell, stateStyles.TryGetValue(cell, out var s) ? s : stateStyles[cell] = Style.Parse(Color(cell)))
                : new Text(cell))));
        console.Write(t);
    }

    static string Color(string state) => state switch
    {
        "COM" => "green",
        "RUN" => "blue",
        "PEN" => "grey",
        "" => "default",
        _ when state.Contains("FAI") || state.Contains("TIM") => "red",
        _ => "yellow",
    };
}
