using Loom.Reporting;
using Loom.Reporting.Commands;

namespace Loom.Report.Tests;

/// <summary>`loom plot`: a real PNG with something drawn on it, and its input errors.</summary>
public sealed class PlotTests : IDisposable
{
    readonly XpFixture fx = new();
    public void Dispose() => fx.Dispose();

    [Fact]
    public void A_grid_s_curves_become_a_png_of_the_asked_size_that_is_not_blank()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 5);
        var b = fx.AddXp(["optim.lr=0.5"], 5);
        fx.SaveGrid("demo", [a, b]);
        string png = Path.Combine(fx.Root, "curves.png");

        Assert.Equal(0, PlotCommand.Run(fx.Conf, fx.Outputs, ["demo"], "valid.accuracy", png, 800, 500, log: TextWriter.Null));

        var (width, height, _) = PngCheck.Inspect(png);
        Assert.Equal((800, 500), (width, height));
        AssertCurvesDrawn(png, xps: 2);
    }

    /// <summary>Each XP's curve, in its palette color (Category10: blue, orange, ...), runs across most of the plot:
    /// axes, text and legend alone (an empty chart has plenty of colors) do not pass.</summary>
    static void AssertCurvesDrawn(string png, int xps)
    {
        var palette = new ScottPlot.Palettes.Category10().Colors;
        for (int i = 0; i < xps; i++)
        {
            var c = palette[i];
            var (pixels, span) = PngCheck.Extent(png, new SkiaSharp.SKColor(c.R, c.G, c.B, c.A));
            Assert.True(pixels > 200 && span > 0.5, $"XP {i}'s curve ({c.ToHex()}): {pixels} pixels over {span:P0} of the width");
        }
    }

    [Fact]
    public void Log_scale_and_default_metric_work()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 3);
        string png = Path.Combine(fx.Root, "loss.png");
        Assert.Equal(0, PlotCommand.Run(fx.Conf, fx.Outputs, [a.Sig], "train.loss", png, logScale: true, log: TextWriter.Null));
        AssertCurvesDrawn(png, xps: 1);
        var output = new StringWriter();
        string defaultPng = Path.Combine(fx.Root, "default.png");
        Assert.Equal(0, PlotCommand.Run(fx.Conf, fx.Outputs, [a.Sig], null, defaultPng, log: output));
        Assert.Contains("valid.accuracy", output.ToString());
        AssertCurvesDrawn(defaultPng, xps: 1);
    }

    [Fact]
    public void An_unknown_metric_is_refused_with_the_metrics_there_are()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 2);
        string png = Path.Combine(fx.Root, "x.png");
        var e = Assert.Throws<ReportException>(() => PlotCommand.Run(fx.Conf, fx.Outputs, [a.Sig], "valid.acc", png, log: TextWriter.Null));
        Assert.Contains("valid.acc:", e.Message);
        Assert.Contains("valid.accuracy", e.Message);
        Assert.False(File.Exists(png));
    }
}
