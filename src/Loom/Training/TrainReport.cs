namespace Loom.Training;

/// <summary>What a finished (or early-stopped) run reports at the end.</summary>
public sealed record TrainReport(
    int Epochs,
    string Monitor,
    double? BestMonitored,
    double? BestValidAccuracy,
    double? BestTestAccuracy,
    double SecondsPerEpoch,
    double TrainSamplesPerSecond,
    bool StoppedEarly,
    int ResumedFromEpoch);
