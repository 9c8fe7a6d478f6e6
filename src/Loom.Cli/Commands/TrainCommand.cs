using Loom.Cli.ReferenceTask;
using Loom.Config;
using Loom.Experiments;
using Loom.Logging;
using Loom.Training;

namespace Loom.Cli.Commands;

/// <summary>
/// `loom train [overrides…] [-m]`: runs the XP the overrides define in the foreground, resuming from its
/// checkpoint when it has one; `restart=true` wipes its folder first. With `-m`, comma-separated values
/// expand to the cartesian product, one XP each, run one after the other.
/// </summary>
public static class TrainCommand
{
    public static int Run(string confDir, IReadOnlyList<string> overrides, bool multirun)
    {
        var runs = multirun ? Multirun.Expand(overrides) : [overrides];
        // Every XP is composed and bound before any runs: a typo in the third XP of a sweep fails at once.
        var prepared = runs.Select(argv =>
        {
            var xp = Xp.Create(confDir, argv);
            return (Xp: xp, Task: ImageClassificationTask.Prepare(xp));
        }).ToList();
        foreach (var (xp, task) in prepared)
        {
            if (prepared.Count > 1) Console.WriteLine($"=== {xp.Sig} {xp.Name}");
            RunOne(xp, task);
        }
        return 0;
    }

    /// <summary>Runs one prepared XP in this process (also `loom run -f SIG` and the scheduler's workers).</summary>
    public static void RunOne(Xp xp, ImageClassificationTask task)
    {
        bool restart = xp.Config.TryGet<bool>("restart", out var r) && r;
        // One lock from the wipe to the end of training: no other run can write the folder in between.
        using var xpLock = XpLock.Acquire(xp.Folder);
        if (restart) Wipe(xp.Folder);
        xp.WriteDefinition();
        using var sink = new LogSink();
        sink.AttachFile(Path.Combine(xp.Folder, "train.log"));
        var log = sink.For("loom");
        log.Info($"XP {xp.Sig} {(xp.Name.Length == 0 ? "(default)" : xp.Name)} in {xp.Folder}");
        var report = task.Run(sink);
        Console.Out.Write(Format(xp, report));
    }

    /// <summary>Deletes the XP's files but keeps the folder (and the lock file this process holds).</summary>
    static void Wipe(string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name == XpLock.FileName) continue;
            if (entry is DirectoryInfo d) d.Delete(recursive: true); else entry.Delete();
        }
    }

    static string Format(Xp xp, TrainReport r)
    {
        static string Pct(double? v) => v is double d ? $"{100 * d:F2} %" : "-";
        return $"""

            XP          {(xp.Name.Length == 0 ? "(default)" : xp.Name)}
            sig         {xp.Sig}
            folder      {xp.Folder}
            epochs      {r.Epochs}{(r.ResumedFromEpoch > 0 ? $" (resumed after epoch {r.ResumedFromEpoch})" : "")}{(r.StoppedEarly ? " (stopped early)" : "")}
            best valid  {Pct(r.BestValidAccuracy)}
            best test   {Pct(r.BestTestAccuracy)}
            s/epoch     {r.SecondsPerEpoch:F1}
            samples/s   {r.TrainSamplesPerSecond:F0} (training)

            """;
    }
}
