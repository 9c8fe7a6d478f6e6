using Loom.Experiments;

namespace Loom.Training;

/// <summary>
/// The metric that picks the best checkpoint and drives early stopping (`split.metric`), maximized or
/// minimized as the task says. Its state (best value, epochs without improvement) is derived from the
/// history, so it needs no checkpoint section of its own and resumes exactly.
/// </summary>
public sealed class Monitor(string path, bool maximize)
{
    public string Path { get; } = path;
    public bool Maximize { get; } = maximize;

    public bool Improves(double candidate, double? best) =>
        best is null || (Maximize ? candidate > best : candidate < best);

    /// <summary>Best value so far and how many epochs since it was reached.</summary>
    public (double? Best, int EpochsSinceBest) Scan(History history)
    {
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
}
