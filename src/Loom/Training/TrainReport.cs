namespace Loom.Training;

/// <summary>What a finished (or early-stopped) run reports at the end.</summary>
/// <param name="Epochs">Epochs in the history, resumed ones included.</param>
/// <param name="Monitor">The monitored metric's path (e.g. `valid.accuracy`).</param>
/// <param name="BestMonitored">Its best value over the epochs, null before the first.</param>
/// <param name="Metric">The monitored metric's name without its split (e.g. `accuracy`).</param>
/// <param name="BestValid">Best value of <paramref name="Metric"/> on the valid split, null without one.</param>
/// <param name="BestTest">The same on the test split.</param>
/// <param name="SecondsPerEpoch">Mean wall time of the history's epochs, evaluation included.</param>
/// <param name="TrainSamplesPerSecond">Training samples per second of training time, over this run's epochs (not resumed ones).</param>
/// <param name="StoppedEarly">A callback (early stopping) ended the fit before its last epoch.</param>
/// <param name="ResumedFromEpoch">Epochs the checkpoint held when this run started (0: a fresh start).</param>
public sealed record TrainReport(
    int Epochs,
    string Monitor,
    double? BestMonitored,
    string Metric,
    double? BestValid,
    double? BestTest,
    double SecondsPerEpoch,
    double TrainSamplesPerSecond,
    bool StoppedEarly,
    int ResumedFromEpoch);
