using Loom.Config;
using Loom.Experiments;

namespace Loom.App.Commands;

/// <summary>What `loom info -f SIG` shows of an existing XP besides its description.</summary>
public enum InfoView { Describe, Log, Tail, Metrics }

/// <summary>
/// `loom info [overrides…] [--json]`: an XP's name, sig, folder, delta and resolved config, running nothing
/// (and loading no libtorch), after binding and validating every setting as `train` does. `loom info -f SIG` describes an existing XP from its `.argv.json` (or from its
/// scheduled job); `-l` prints its log, `-t` follows it, `-m` prints its last metrics as JSON.
/// </summary>
public static class InfoCommand
{
    public static int Run(LoomAppDefinition app, string confDir, IReadOnlyList<string> overrides, string? sig, bool json,
        InfoView view = InfoView.Describe, string? outputsOption = null, int? ranks = null)
    {
        if (ranks is < 1) throw new UsageException($"-d {ranks}: expected a positive number of processes");
        Xp xp;
        if (sig is not null)
        {
            if (overrides.Count > 0) throw new UsageException("info -f SIG takes no overrides");
            xp = CommandContext.FindXp(confDir, CommandContext.OutputsRoot(confDir, outputsOption), sig);
        }
        else
        {
            if (view != InfoView.Describe) throw new UsageException("-l, -t and -m need an existing XP: info -f SIG");
            xp = Xp.Create(confDir, overrides, outputsOption is null ? null : Path.GetFullPath(outputsOption));
            var prepared = app.Prepare(xp); // binds and validates exactly as `train` would: info refuses what train refuses
            if (ranks is int n && n > 1)
            {
                TrainCommand.CheckDivisible(prepared, n);
                Training.MachineLimits.CheckRanks(n, Training.MachineLimits.Cores);
            }
            foreach (var warning in prepared.Warnings) Console.Error.WriteLine($"{app.Name}: warning: {warning}");
        }
        switch (view)
        {
            case InfoView.Log: XpLog.Print(xp); break;
            case InfoView.Tail: XpLog.Follow(xp, CommandContext.OutputsRoot(confDir, outputsOption)); break;
            case InfoView.Metrics: Console.WriteLine(LastMetrics(xp)); break;
            default:
                Console.Out.Write(json ? XpDescription.Json(xp) + "\n" : XpDescription.Text(xp));
                if (!json) Console.WriteLine($"resume: {ResumeDeterminism(xp.Config)}");
                if (sig is not null && !json && CodeOf(xp, CommandContext.OutputsRoot(confDir, outputsOption)) is { } code)
                    Console.WriteLine($"code:   {code}");
                if (sig is not null && !json && DataClasses.Read(xp.Folder) is { } classes)
                    Console.WriteLine($"classes: {classes.Count}: {string.Join(", ", classes)}");
                if (sig is not null && !json && SkippedFiles.Read(xp.Folder) is { } skipped)
                    Console.WriteLine($"skipped: {skipped.Count} file{(skipped.Count == 1 ? "" : "s")} that do not decode (data.on_corrupt=skip; {SkippedFiles.FileName})");
                if (sig is not null && !json && RankPlaces.Read(xp.Folder) is { } places)
                    Console.WriteLine($"ranks:  {places.Count} on {places.Select(p => p.Host).Distinct().Count()} host(s), last run segment\n{RankPlaces.Text(places)}");
                break;
        }
        return 0;
    }

    /// <summary>
    /// What a resumed run promises: its last digits follow the thread count, and `adaptive_threads` lets the count
    /// follow the machine's load, so only a fixed count makes resume bit-exact whatever else runs beside it.
    /// </summary>
    static string ResumeDeterminism(ConfigNode config)
    {
        bool adaptive = !config.TryGet<bool>("adaptive_threads", out var a) || a;
        string threads = config.TryGet<long>("threads", out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
        return adaptive
            ? $"bit-exact at an unchanged thread count; threads follow the load (adaptive_threads: true), so a resume on a busier machine may change the last digits — adaptive_threads=false keeps {threads} and resume bit-exact"
            : $"bit-exact (threads fixed at {threads}: adaptive_threads: false)";
    }

    /// <summary>The frozen copy of the app an XP's Slurm job ran (null when it never went through Slurm).</summary>
    static string? CodeOf(Xp xp, string outputsRoot)
    {
        if (!File.Exists(new Scheduling.Slurm.SlurmPaths(outputsRoot).Database)) return null;
        var row = Scheduling.Slurm.SlurmScheduler.Find(outputsRoot, xp.Sig);
        return row?.Code is { } hash ? Scheduling.CodeSnapshot.PathOf(outputsRoot, hash) : null;
    }

    static string LastMetrics(Xp xp)
    {
        var history = History.Load(xp.Folder);
        if (history.Count == 0) throw new UsageException($"{xp.Sig} has no metrics yet (no epoch in {Path.Combine(xp.Folder, History.FileName)})");
        return history.Epochs[^1].ToJsonString();
    }
}
