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

        var (width, height, colors) = PngCheck.Inspect(png);
        Assert.Equal((800, 500), (width, height));
        Assert.True(colors > 20, $"only {colors} colors: blank");
        Assert.True(new FileInfo(png).Length > 10_000);
    }

    [Fact]
    public void Log_scale_and_default_metric_work()
    {
        var a = fx.AddXp(["optim.lr=0.01"], 3);
        string png = Path.Combine(fx.Root, "loss.png");
        PlotCommand.Run(fx.Conf, fx.Outputs, [a.Sig], "train.loss", png, logScale: true, log: TextWriter.Null);
        Assert.True(PngCheck.Inspect(png).Colors > 10);
        var output = new StringWriter();
        PlotCommand.Run(fx.Conf, fx.Outputs, [a.Sig], null, Path.Combine(fx.Root, "default.png"), log: output);
        Assert.Contains("valid.accuracy", output.ToString());
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
