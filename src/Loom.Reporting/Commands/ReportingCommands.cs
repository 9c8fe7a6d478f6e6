using System.CommandLine;
using Loom.App;
using Loom.Reporting.Plots;

namespace Loom.Reporting.Commands;

/// <summary>
/// Plugs the reporting views into an app: <c>LoomApp.Run(args, app => app.Task&lt;MyTask&gt;().AddReporting())</c>
/// gives it `report` (HTML), `plot` (PNG, ScottPlot/SkiaSharp) and `serve` (live page, ASP.NET Core). The library does not reference this assembly:
/// an app without it trains, schedules and tabulates with neither SkiaSharp nor ASP.NET Core.
/// </summary>
public static class ReportingCommands
{
    /// <summary>Adds `report`, `plot` and `serve` (read-only views of XP folders).</summary>
    public static LoomAppBuilder AddReporting(this LoomAppBuilder app) => app.Command(Report).Command(Plot).Command(Serve);

    /// <summary>A grid that ran, a search and/or XP signatures: what every reporting command shows.</summary>
    internal static Argument<string[]> Targets() =>
        new("targets") { Arity = ArgumentArity.OneOrMore, Description = "A grid that ran (its remembered XPs), a search (its trials) and/or XP signatures" };

    static Command Report(AppCommandOptions shared)
    {
        var targets = Targets();
        var reportFile = new Option<string>("--output", "-o") { Description = "The HTML file to write", DefaultValueFactory = _ => "report.html" };
        var report = new Command("report", "One self-contained HTML report: curves, parallel coordinates, table of a selection; for a search also best-so-far and marginal plots") { targets, reportFile, shared.Outputs, shared.Conf };
        report.SetAction(p => ReportCommand.Run(shared.ConfDir(p), shared.OutputsRoot(p), p.GetValue(targets)!, p.GetValue(reportFile)!));
        return report;
    }

    static Command Plot(AppCommandOptions shared)
    {
        var targets = Targets();
        var metric = new Option<string?>("--metric") { Description = "The metric to draw (default: valid.accuracy, else test.accuracy); 'a,b' several on one axis (first thin, others bold); 'M vs KEY per KEY' the final M against a setting, one line per another" };
        var plotFile = new Option<string>("--output", "-o") { Description = "The PNG file to write", DefaultValueFactory = _ => "curves.png" };
        var logScale = new Option<bool>("--log") { Description = "Logarithmic y axis" };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => CurvePlot.DefaultWidth };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => CurvePlot.DefaultHeight };
        var plot = new Command("plot", "One metric's curves as a PNG") { targets, metric, plotFile, logScale, width, height, shared.Outputs, shared.Conf };
        plot.SetAction(p => PlotCommand.Run(shared.ConfDir(p), shared.OutputsRoot(p), p.GetValue(targets)!,
            p.GetValue(metric), p.GetValue(plotFile)!, p.GetValue(width), p.GetValue(height), p.GetValue(logScale)));
        return plot;
    }

    static Command Serve(AppCommandOptions shared)
    {
        var targets = Targets();
        var host = new Option<string>("--host") { DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "0: any free port", DefaultValueFactory = _ => 8765 };
        var serve = new Command("serve", "Follow XPs live in a browser (read-only; Ctrl-C stops)") { targets, host, port, shared.Outputs, shared.Conf };
        serve.SetAction(p => ServeCommand.Run(shared.ConfDir(p), shared.OutputsRoot(p), p.GetValue(targets)!, p.GetValue(host)!, p.GetValue(port)));
        return serve;
    }
}
