using System.Text.Json;
using System.Text.RegularExpressions;
using Loom.Reporting;
using Loom.Reporting.Commands;
using Loom.Reporting.Html;

namespace Loom.Report.Tests;

/// <summary>The report file: self-contained, its data readable back, and the command's input errors.</summary>
public sealed class HtmlReportTests : IDisposable
{
    readonly XpFixture fx = new();
    public void Dispose() => fx.Dispose();

    [Fact]
    public void The_page_is_self_contained_and_embeds_the_data()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 3);
        var b = fx.AddXp(["optim.lr=0.5"], 3);
        fx.SaveGrid("demo", [a, b]);
        string file = Path.Combine(fx.Root, "report.html");

        Assert.Equal(0, ReportCommand.Run(fx.Conf, fx.Outputs, ["demo"], file, TextWriter.Null));

        string html = File.ReadAllText(file);
        Assert.DoesNotMatch(new Regex("<(script|link)[^>]+(src|href)=\"(?!data:)"), html); // nothing fetched: no network
        Assert.Contains("Apache ECharts", html);
        Assert.True(html.Length > 1_000_000, "the charting library is inlined");
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"loom-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using var doc = JsonDocument.Parse(json);
        Assert.Equal([a.Sig, b.Sig], doc.RootElement.GetProperty("xps").EnumerateArray().Select(x => x.GetProperty("sig").GetString()));
        Assert.Equal("demo", doc.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public void A_value_holding_a_closing_script_tag_cannot_break_the_page()
    {
        var xp = fx.AddXp(["note='</script><b>x'"], 1); // quoted: Hydra's grammar refuses '<' unquoted
        string html = HtmlReport.Render(ReportData.Build("</title>", ReportTargets.Resolve(fx.Conf, fx.Outputs, [xp.Sig])));

        Assert.Equal(3, Regex.Matches(html, "</script>").Count); // echarts, data, app: each closed once, none from the data
        Assert.DoesNotContain("<b>x", html);
        Assert.Contains("&lt;/title&gt;", html);
    }

    [Fact]
    public void The_output_must_be_an_html_file_in_an_existing_folder()
    {
        var xp = fx.AddXp(["optim.lr=0.01"], 1);
        var e = Assert.Throws<ReportException>(() => ReportCommand.Run(fx.Conf, fx.Outputs, [xp.Sig], Path.Combine(fx.Root, "r.png"), TextWriter.Null));
        Assert.Contains("r.png", e.Message);
        string missing = Path.Combine(fx.Root, "no", "such", "r.html");
        e = Assert.Throws<ReportException>(() => ReportCommand.Run(fx.Conf, fx.Outputs, [xp.Sig], missing, TextWriter.Null));
        Assert.Contains(Path.Combine(fx.Root, "no", "such"), e.Message);
        Assert.False(File.Exists(missing));
    }
}
