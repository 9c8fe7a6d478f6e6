using System.Text;
using Spectre.Console;

namespace Loom.Tables;

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
        var widths = Widths(table);
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
        // Never let Spectre squeeze cells into a narrow terminal: a sig split over two lines cannot be copied.
        // A table wider than the terminal is left for the terminal to wrap.
        int natural = Widths(table).Sum() + 2 * table.Headers.Count + 2;
        console.Profile.Width = Math.Max(width ?? console.Profile.Width, natural);
        var t = new Table().Border(TableBorder.SimpleHeavy).HideRowSeparators();
        // Metric headers on two lines ("train" above "loss", as Dora's grouped columns), cells never wrapped.
        // The sig column must stay whole: it is what `loom info -f SIG` takes.
        for (int c = 0; c < table.Headers.Count; c++)
        {
            var column = new TableColumn(new Text(table.Headers[c].Replace(' ', '\n'))).NoWrap().Padding(new Padding(0, 0, 2, 0));
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

    /// <summary>Each column's width in plain text: its longest cell or header.</summary>
    static int[] Widths(GridTable table) => Enumerable.Range(0, table.Headers.Count)
        .Select(c => table.Rows.Select(r => r[c].Length).Append(table.Headers[c].Length).Max()).ToArray();

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
