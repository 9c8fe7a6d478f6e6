using System.Text.Json.Nodes;
using Loom.Distributed;
using Loom.Experiments;
using Loom.TensorBoard;
using Loom.Training;

namespace Loom.TensorBoard.Tests;

/// <summary>
/// Drives a <see cref="TensorBoardCallback"/> with the trainer's documented sequence (FitStarted, StepEnded per
/// batch, EpochEnded after the history entry is written, FitEnded) and made-up numbers: a unit test of the
/// callback's logic without a model. The loss of batch s of epoch e is <c>Loss(e, s)</c>, shifted by
/// <see cref="Run"/> so that a resumed fit's numbers differ from the lost run's.
/// </summary>
sealed class FakeFit(string xpFolder, int stepsPerEpoch, int epochs, TensorBoardCallback callback, double run = 0,
    ProcessContext? process = null)
{
    public History History { get; private set; } = new();
    public double Run { get; } = run;

    public static TensorBoardCallback NewCallback(int everyNSteps) =>
        new(new TensorBoardOptions(EveryNSteps: everyNSteps),
            new DeltaItem[] { ("model", "mlp"), ("optim.lr", 0.01), ("flag", true), ("complex.a", new List<object?> { 1L, 2L, 3L }) });

    public double Loss(int epoch, int step) => Run + 10.0 / (epoch * stepsPerEpoch + step);

    public static double Lr(int epoch) => 0.1 / epoch;

    public void Start(History resumed)
    {
        History = new History(resumed.Epochs.Select(e => (JsonObject)e.DeepClone()));
        callback.FitStarted(new FitStart(xpFolder, null!, [], process ?? ProcessContext.Single, History.Count, epochs, stepsPerEpoch, History, new FitControl()));
    }

    /// <summary>The batches of an epoch (the first <paramref name="steps"/> of them), then, for a whole epoch, its entry.</summary>
    public void Epoch(int epoch, int? steps = null, bool callEpochEnded = true)
    {
        for (int s = 1; s <= (steps ?? stepsPerEpoch); s++)
            callback.StepEnded(new StepEnd(epoch, s, stepsPerEpoch, (long)(epoch - 1) * stepsPerEpoch + s, Loss(epoch, s), Lr(epoch), 32, new Loom.Tasks.Metrics()));
        if (steps is not null) return;
        var entry = new JsonObject
        {
            ["epoch"] = epoch,
            ["train"] = new JsonObject { ["loss"] = Run + 1.0 / epoch, ["accuracy"] = 0.5 + epoch / 100.0 },
            ["valid"] = new JsonObject { ["accuracy"] = 0.4 + epoch / 100.0 },
            ["lr"] = Lr(epoch),
        };
        History.Add(entry);
        History.Save(xpFolder);
        if (callEpochEnded) callback.EpochEnded(new EpochEnd(epoch, entry, false, History));
    }

    public void End(Exception? error = null) => callback.FitEnded(new FitEnd(History, error));

    /// <summary>
    /// Stands for a SIGKILL after the OS got the process's writes: the callback's file is closed with what it
    /// buffered and no session end (reflection: the callback offers no such call, a trainer never needs one),
    /// and a torn record follows, as a kill in the middle of a write leaves.
    /// </summary>
    public void Kill()
    {
        var log = (XpEventLog?)typeof(TensorBoardCallback).GetField("log", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(callback);
        log!.Dispose();
        using var stream = new FileStream(log.FilePath, FileMode.Append, FileAccess.Write);
        stream.Write(TfRecord.Frame(EventMessages.ScalarEvent(1, 99, "torn", 1)).AsSpan(0, 20));
    }
}
