using Loom.Logging;

namespace Loom.Training;

/// <summary>
/// Stops the fit when the monitored metric has not improved for <c>patience</c> epochs (0 = never). Its
/// state is read from the history, so it needs no checkpoint section and resumes exactly; every rank
/// sees the same all-reduced metrics, so every rank stops at the same epoch.
/// </summary>
public sealed class EarlyStopping(Monitor monitor, int patience, Logger log) : ITrainingCallback
{
    FitControl? control;

    public void FitStarted(FitStart fit)
    {
        control = fit.Control;
        Check(fit.History, announce: false);
    }

    public void EpochEnded(EpochEnd epoch) => Check(epoch.History, announce: true);

    void Check(Experiments.History history, bool announce)
    {
        if (patience <= 0 || history.Count == 0) return;
        var (best, since) = monitor.Scan(history);
        if (since < patience) return;
        if (announce) log.Info($"early stopping: {monitor.Path} has not improved for {since} epochs (best {best:F4})");
        control!.RequestStop("early stopping");
    }
}
