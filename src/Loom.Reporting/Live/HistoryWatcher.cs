using Loom.Experiments;

namespace Loom.Reporting.Live;

/// <summary>
/// Says which XPs changed: their `history.json` (a new epoch) or their job's state. A file watcher on the
/// outputs' `xps/` folder makes it look at once; a poll every <see cref="Interval"/> catches what watchers
/// miss (network file systems, overflowed event queues). Reads only.
/// </summary>
public sealed class HistoryWatcher : IDisposable
{
    readonly string outputsRoot;
    readonly Func<IReadOnlyList<string>> sigs;
    readonly FileSystemWatcher? watcher;
    readonly SemaphoreSlim nudge = new(0);
    Dictionary<string, string> seen = new();

    public TimeSpan Interval { get; }

    /// <summary><paramref name="sigs"/>: the XPs to follow, asked at every look (a grid's members may change while it runs).</summary>
    public HistoryWatcher(string outputsRoot, Func<IReadOnlyList<string>> sigs, TimeSpan interval)
    {
        this.outputsRoot = outputsRoot;
        this.sigs = sigs;
        Interval = interval;
        string xps = Path.Combine(outputsRoot, Xp.XpsFolder);
        if (Directory.Exists(xps))
        {
            watcher = new FileSystemWatcher(xps) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
            FileSystemEventHandler poke = (_, _) => Nudge();
            watcher.Created += poke; watcher.Changed += poke;
            watcher.Renamed += (_, _) => Nudge(); // the trainer writes history.json by rename
            watcher.EnableRaisingEvents = true;
        }
        seen = Fingerprints();
    }

    void Nudge() { if (nudge.CurrentCount == 0) nudge.Release(); }

    /// <summary>Waits for the next change (or the interval) and returns the XPs that changed since the last call; empty when none.</summary>
    public async Task<IReadOnlyList<string>> NextAsync(CancellationToken cancel)
    {
        await nudge.WaitAsync(Interval, cancel);
        var now = Fingerprints();
        var changed = now.Where(kv => !seen.TryGetValue(kv.Key, out var before) || before != kv.Value).Select(kv => kv.Key).ToList();
        seen = now;
        return changed;
    }

    /// <summary>For each XP: its history's size and time, and its job's state.</summary>
    Dictionary<string, string> Fingerprints()
    {
        var list = sigs();
        var jobs = ReportTargets.Jobs(outputsRoot, list);
        return list.ToDictionary(s => s, s =>
        {
            var file = new FileInfo(Path.Combine(outputsRoot, Xp.XpsFolder, s, History.FileName));
            string history = file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "-";
            return $"{history}|{jobs.GetValueOrDefault(s)?.State}";
        });
    }

    public void Dispose()
    {
        watcher?.Dispose();
        nudge.Dispose();
    }
}
