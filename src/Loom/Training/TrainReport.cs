namespace Loom.Training;

/// <summary>What a finished (or early-stopped) run reports at the end.</summary>
/// <param name="Metric">The monitored metric's name without its split (e.g. `accuracy`).</param>
/// <param name="BestValid">Best value of <paramref name="Metric"/> on the valid split, null without one.</param>
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
