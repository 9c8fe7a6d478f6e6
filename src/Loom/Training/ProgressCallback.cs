using Loom.Logging;

namespace Loom.Training;

/// <summary>The training progress line (rate, ETA, running loss and metrics), as a callback: `progress` = auto|bar|plain|none.</summary>
public sealed class ProgressCallback(string mode, int epochs, int batchSize) : ITrainingCallback
{
    ProgressLine? line;

    public void StepEnded(StepEnd step)
    {
        if (mode == "none") return;
        if (step.Step == 1 || line is null)
            line = new ProgressLine($"train {step.Epoch}/{epochs}", step.StepsPerEpoch, batchSize,
                interactive: mode switch { "bar" => true, "plain" => false, _ => null });
        line.Update(step.Step, () => string.Join(" ", step.Running.Means().OrderBy(kv => kv.Key != "loss").Select(kv => $"{Short(kv.Key)} {kv.Value:F4}")));
        if (step.Step == step.StepsPerEpoch) { line.Finish(); line = null; }
    }

    static string Short(string metric) => metric == "accuracy" ? "acc" : metric;
}
