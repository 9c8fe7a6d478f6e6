namespace Loom.Training;

/// <summary>What a finished (or early-stopped) run reports at the end.</summary>
/// <param name="Epochs">Epochs in the history (resumed ones included).</param>
/// <param name="Monitor">The monitored `split.metric`, null when the last epoch is selected (no validation split).</param>
/// <param name="Selection">How the epoch was selected, e.g. `best valid.accuracy` or `last epoch` (<see cref="Training.Monitor.Describe"/>).</param>
/// <param name="SelectedEpoch">The selected epoch (the one `checkpoint.best` holds), 0 before any epoch.</param>
/// <param name="BestMonitored">Best value of the monitored metric, null when the last epoch is selected.</param>
/// <param name="Metric">The monitored metric's name without its split (e.g. `accuracy`); the task's metric when the last epoch is selected.</param>
/// <param name="BestValid">Best value of <paramref name="Metric"/> on the valid split, null without one.</param>
/// <param name="SelectedValid">Valid <paramref name="Metric"/> of the selected epoch.</param>
/// <param name="SelectedTest">Test <paramref name="Metric"/> of the selected epoch: the figure to report (never a best over test epochs).</param>
/// <param name="SecondsPerEpoch">Mean wall time of an epoch (training and evaluation).</param>
/// <param name="TrainSamplesPerSecond">Training samples per second of this process's epochs.</param>
/// <param name="StoppedEarly">Whether early stopping (or another callback) ended the fit.</param>
/// <param name="ResumedFromEpoch">Epochs already done when this process started (0 for a fresh start).</param>
public sealed record TrainReport(
    int Epochs,
    string? Monitor,
    string Selection,
    int SelectedEpoch,
    double? BestMonitored,
    string Metric,
    double? BestValid,
    double? SelectedValid,
    double? SelectedTest,
    double SecondsPerEpoch,
    double TrainSamplesPerSecond,
    bool StoppedEarly,
    int ResumedFromEpoch);
