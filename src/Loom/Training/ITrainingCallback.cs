using System.Text.Json.Nodes;
using Loom.Distributed;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// Observes a fit (Lightning's callbacks, reduced to what Loom's features need): progress output, early
/// stopping, TensorBoard, the thread governor and live reporting attach here instead of being special cases
/// of the loop (data parallel is a <see cref="ITrainingStrategy"/>: it changes the step, a callback only
/// watches it). Every method has an empty default; implement what you need; the trainer calls every one
/// (a test holds it to that). Callbacks run on every rank: check <see cref="FitStart.Process"/> before
/// writing files.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>Once, after the model, optimizer and any checkpoint are loaded, before the first step.</summary>
    void FitStarted(FitStart fit) { }

    /// <summary>The callback's own state, written into every checkpoint under <see cref="StateKey"/> (null: none, nothing written).</summary>
    JsonNode? StateDict() => null;

    /// <summary>On resume, before <see cref="FitStarted"/>: what <see cref="StateDict"/> returned when the checkpoint was written.</summary>
    void LoadStateDict(JsonNode state) { }

    /// <summary>The key of <see cref="StateDict"/> in the checkpoint (default: the type's full name; unique among the fit's callbacks that have state).</summary>
    string StateKey => GetType().FullName ?? GetType().Name;

    /// <summary>Once per optimizer step, after the backward pass that completes its gradient and the strategy's
    /// synchronization (data parallel: the averaged gradient), before clipping and the step.</summary>
    void GradientsReady(IReadOnlyList<Parameter> parameters) { }

    /// <summary>After every training batch (on every micro-batch when gradients are accumulated).</summary>
    void StepEnded(StepEnd step) { }

    /// <summary>After an epoch's history entry is written (and its checkpoint saved).</summary>
    void EpochEnded(EpochEnd epoch) { }

    /// <summary>Once at the end, also when the fit failed (<see cref="FitEnd.Error"/> is set then).</summary>
    void FitEnded(FitEnd fit) { }
}

/// <param name="XpFolder">Where the XP's files are.</param>
/// <param name="Model">The module being trained, its checkpoint (if any) already loaded.</param>
/// <param name="Parameters">The trainable parameters the optimizer steps.</param>
/// <param name="Process">This rank and the world it belongs to.</param>
/// <param name="ResumedEpochs">Epochs already in the history (0 for a fresh start).</param>
/// <param name="Epochs">The run's total epochs, those already done included.</param>
/// <param name="StepsPerEpoch">Training batches per epoch on this rank.</param>
/// <param name="History">The history so far (restored from the checkpoint on a resume).</param>
/// <param name="Control">Lets a callback stop the fit after the current epoch.</param>
public sealed record FitStart(string XpFolder, nn.Module Model, IReadOnlyList<Parameter> Parameters, ProcessContext Process,
    int ResumedEpochs, int Epochs, int StepsPerEpoch, Experiments.History History, FitControl Control);

/// <param name="Epoch">1-based epoch.</param>
/// <param name="Step">1-based batch index in the epoch.</param>
/// <param name="StepsPerEpoch">Training batches per epoch on this rank.</param>
/// <param name="GlobalStep">Batches since the start of training, over all epochs (0-based count + 1).</param>
/// <param name="Loss">The batch's mean loss on this rank.</param>
/// <param name="Lr">The LR of the latest optimizer step.</param>
/// <param name="BatchSize">Samples in this batch on this rank (the last batch of an epoch may be smaller).</param>
/// <param name="Running">The epoch's metrics so far on this rank (read, do not change).</param>
public sealed record StepEnd(int Epoch, int Step, int StepsPerEpoch, long GlobalStep, double Loss, double Lr, int BatchSize, Tasks.Metrics Running);

/// <param name="Epoch">1-based epoch.</param>
/// <param name="Entry">The epoch's history entry, as in history.json.</param>
/// <param name="IsBest">The monitored metric improved on every earlier epoch (the best checkpoint was saved).</param>
/// <param name="History">The history, this epoch included.</param>
public sealed record EpochEnd(int Epoch, JsonObject Entry, bool IsBest, Experiments.History History);

public sealed record FitEnd(Experiments.History History, Exception? Error);
