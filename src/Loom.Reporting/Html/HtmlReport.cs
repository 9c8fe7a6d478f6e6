using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Loom.Reporting.Html;

/// <summary>
/// The report page: one self-contained HTML file (its CSS, its script, Apache ECharts and the data inlined),
/// so that it opens offline, can be mailed, and shows what the XP folders held when it was written.
/// `loom serve` sends the same page with <see cref="ReportData.Live"/> set: the script then follows the
/// server's events instead of the embedded data alone.
/// </summary>
public static partial class HtmlReport
{
    /// <summary>The page's scripts (Html/js/), inlined in this order inside one function, so they share its scope.</summary>
    static readonly string[] Scripts = ["format.js", "curves.js", "parallel.js", "table.js", "search.js", "main.js"];

    /// <summary>The page for <paramref name="data"/>.</summary>
    public static string Render(ReportData data)
    {
        var parts = new Dictionary<string, string>
        {
            ["TITLE"] = WebUtility.HtmlEncode(data.Title),
            ["CSS"] = Resource("report.css"),
            ["ECHARTS"] = Resource("echarts.min.js"),
            ["APP"] = string.Join("\n", Scripts.Select(s => Resource("js." + s))),
            // System.Text.Json escapes <, > and & as \u003C…: the data cannot close its <script> element.
            ["DATA"] = data.ToJson(),
        };
        // One pass over the template: text inserted for one marker is never searched for another.
        return Marker().Replace(Resource("report.html"), m => parts[m.Groups[1].Value]);
    }

    /// <summary>Writes the page atomically (a reader never sees half a report).</summary>
    public static void Write(ReportData data, string path)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new ReportException($"{path}: folder {folder} does not exist");
        Loom.IO.AtomicFile.WriteAllText(full, Render(data));
    }

    static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Loom.Reporting.{name}")
            ?? throw new InvalidOperationException($"resource {name} is missing from {Assembly.GetExecutingAssembly().Location}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{([A-Z]+)\}\}")]
    private static partial Regex Marker();
}
