using Loom.Config;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Tasks;
using Loom.Training;

namespace Loom.App.Commands;

/// <summary>
/// `train [overrides…] [-m]`: runs the XP the overrides define in the foreground, resuming from its
/// checkpoint when it has one; `restart=true` wipes its folder first. With `-m`, comma-separated values
/// expand to the cartesian product, one XP each, run one after the other.
/// </summary>
public static class TrainCommand
{
    /// <summary><paramref name="ranks"/> is `-d N`: synchronous data parallel over N processes (null or 1: this process alone).</summary>
    public static int Run(LoomAppDefinition app, string confDir, IReadOnlyList<string> overrides, bool multirun, int? ranks = null)
    {
        if (ranks is < 1) throw new UsageException($"-d {ranks}: expected a positive number of processes");
        var runs = multirun ? Multirun.Expand(overrides) : [overrides];
        // Every XP is composed and bound before any runs: a typo in the third XP of a sweep fails at once.
        var prepared = runs.Select(argv => app.Prepare(Xp.Create(confDir, argv))).ToList();
        int world = ranks ?? 1;
        foreach (var xp in prepared) CheckDivisible(xp, world);
        if (world > 1 && !DataParallelLaunch.InRank)
        {
            DataParallelLaunch.Run(world, app.Args, DataParallelLaunch.ThreadsPerRank(world, overrides), prepared.Count == 1 ? $"XP {prepared[0].Xp.Sig}" : "the sweep");
            return 0;
        }
        if (DataParallelLaunch.InRank)
        {
            DataParallelLaunch.AsRank(app.Name, process =>
            {
                if (process.WorldSize != world) throw new UsageException($"-d {world}: but {process.WorldSize} ranks were started");
                foreach (var xp in prepared) RunOne(app, xp, process);
            });
            return 0;
        }
        foreach (var xp in prepared)
        {
            if (prepared.Count > 1) Console.WriteLine($"=== {xp.Xp.Sig} {xp.Xp.Name}");
            RunOne(app, xp);
        }
        return 0;
    }

    /// <summary>`batch_size` is the global batch: each of the N ranks takes batch_size ÷ N.</summary>
    public static void CheckDivisible(PreparedXp xp, int ranks)
    {
        if (xp.Train.BatchSize % ranks != 0)
            throw new ConfigException($"batch_size={xp.Train.BatchSize}: not divisible by the {ranks} data-parallel processes (-d {ranks}); batch_size is the global batch");
    }

    /// <summary>Runs one prepared XP in this process (also `run -f SIG` and the scheduler's workers) and prints its report.</summary>
    public static void RunOne(LoomAppDefinition app, PreparedXp prepared, ProcessContext? processContext = null)
    {
        var process = processContext ?? ProcessContext.Single;
        var run = new XpRun(prepared, process) { Callbacks = app.Callbacks.Select(create => create(prepared, process)).OfType<ITrainingCallback>().ToList() };
        if (run.Run() is { } report && process.IsMain) Console.Out.Write(Format(prepared.Xp, report, prepared.Task.Declarations().For(report.Metric)));
    }

    static string Format(Xp xp, TrainReport r, MetricSpec spec)
    {
        string Value(double? v) => v is not double d ? "-" : spec.Format == MetricFormat.Percent ? $"{spec.Show(d)} %" : spec.Show(d);
        string metric = r.Metric == "accuracy" ? "" : $" {r.Metric}";
        var lines = new (string Label, string Value)[]
        {
            ("XP", xp.Name.Length == 0 ? "(default)" : xp.Name),
            ("sig", xp.Sig),
            ("folder", xp.Folder),
            ("epochs", $"{r.Epochs}{(r.ResumedFromEpoch > 0 ? $" (resumed after epoch {r.ResumedFromEpoch})" : "")}{(r.StoppedEarly ? " (stopped early)" : "")}"),
            ("selected", r.SelectedEpoch == 0 ? "-" : $"epoch {r.SelectedEpoch} ({r.Selection}{(r.Monitor is null ? ": no validation split" : "")})"),
            ($"valid{metric}", Value(r.SelectedValid)),
            // The test score of the selected epoch, never the best over epochs: the test split selects nothing.
            ($"test{metric}", r.SelectedTest is null ? "-" : $"{Value(r.SelectedTest)} (epoch {r.SelectedEpoch}, {r.Selection})"),
            ("s/epoch", $"{r.SecondsPerEpoch:F1}"),
            ("samples/s", $"{r.TrainSamplesPerSecond:F0} (training)"),
        };
        int width = Math.Max(12, lines.Max(l => l.Label.Length + 2));
        return "\n" + string.Concat(lines.Select(l => l.Label.PadRight(width) + l.Value + "\n")) + "\n";
    }
}
