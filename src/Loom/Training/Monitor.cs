using Loom.Experiments;

namespace Loom.Training;

/// <summary>
/// How the fit selects its epoch — the `best` checkpoint, early stopping and a plateau schedule: the best
/// value of a metric (`split.metric`, maximized or minimized as the task says), or simply the last epoch
/// (<see cref="LastEpoch"/>, when there is no validation split: the test split never selects). Its state
/// (best value, epochs without improvement) is derived from the history, so it needs no checkpoint section
/// of its own and resumes exactly.
/// </summary>
public sealed class Monitor
{
    /// <summary>Selects the best value of <paramref name="path"/> (`split.metric`).</summary>
    public Monitor(string path, bool maximize) => (Path, Maximize) = (path, maximize);

    Monitor() { }

    /// <summary>Selects the last epoch: nothing is monitored.</summary>
    public static Monitor LastEpoch { get; } = new();

    /// <summary>`split.metric`, or null when the last epoch is selected.</summary>
    public string? Path { get; }
    public bool Maximize { get; }

    /// <summary>How the epoch is selected, for the summary: `best valid.accuracy` or `last epoch`.</summary>
    public string Describe() => Path is null ? "last epoch" : $"best {Path}";

    /// <summary>Whether an epoch whose monitored value is <paramref name="candidate"/> replaces <paramref name="best"/>; every epoch does when the last one is selected.</summary>
    public bool Improves(double candidate, double? best) =>
        Path is null || best is null || (Maximize ? candidate > best : candidate < best);

    /// <summary>Best value so far and how many epochs since it was reached (null and 0 when the last epoch is selected).</summary>
    public (double? Best, int EpochsSinceBest) Scan(History history)
    {
        if (Path is null) return (null, 0);
        double? best = null;
        int since = 0;
        foreach (var epoch in history.Epochs)
        {
            double? value = History.Metric(epoch, Path);
            if (value is double v && Improves(v, best)) { best = v; since = 0; }
            else since++;
        }
        return (best, since);
    }

    /// <summary>The history entry of the selected epoch (the first to reach the best value, as `checkpoint.best`), null before any epoch.</summary>
    public System.Text.Json.Nodes.JsonObject? Selected(History history)
    {
        System.Text.Json.Nodes.JsonObject? selected = null;
        double? best = null;
        foreach (var epoch in history.Epochs)
        {
            double? value = Path is null ? 0 : History.Metric(epoch, Path);
            if (value is double v && Improves(v, best)) { best = v; selected = epoch; }
        }
        return selected;
    }
}
