using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// One optimizer step per `accumulate` batches: clear the gradients at the start of a group, back-propagate
/// each batch's loss divided by the group's size (so the step sees the mean gradient, as one large batch
/// would), then synchronize (data parallel: once per step, never per micro-batch), clip (norm, value), set
/// the scheduled LR and step. A group never spans two epochs: the last group of an epoch may be shorter and
/// is stepped at the epoch's end (as Lightning does), so a checkpoint, written between epochs, never holds
/// a half-accumulated gradient and resume stays exact. <paramref name="strategy"/> clears and synchronizes the
/// gradients (default: one process, <see cref="SingleDeviceStrategy"/>); <paramref name="gradientsReady"/> is called
/// once per step after its synchronization, before clipping (the callbacks' <see cref="ITrainingCallback.GradientsReady"/>).
/// A step whose loss is NaN or infinite on any rank is never applied: <see cref="NonFiniteSteps"/> stops the run or skips it,
/// decided from flags that the strategy sums with the gradients (one collective per step). <paramref name="stopRequested"/>
/// (<see cref="TrainerOptions.StopRequested"/>) is read at each step and travels in the same collective: <see cref="StopAgreed"/>.
/// </summary>
public sealed class GradientStepper(TorchSharp.Modules.OptimizerHelper optimizer, IReadOnlyList<TorchSharp.Modules.Parameter> parameters,
    OptimSettings settings, LrController lr, ITrainingStrategy? strategy = null, Action? gradientsReady = null, Action<string>? warn = null,
    Func<bool>? stopRequested = null)
{
    readonly int accumulate = Math.Max(1, settings.Accumulate);
    readonly ITrainingStrategy strategy = strategy ?? new SingleDeviceStrategy();
    readonly NonFiniteSteps nonFinite = new(settings, warn);
    int epoch, batches, index;
    bool nanInGroup, infInGroup;

    /// <summary>
    /// Whether any rank's <c>stopRequested</c> said stop when the last step was synchronized: the same on every rank, so
    /// at a step boundary all stop at the same batch. False again at each epoch's start (a stop request stays raised).
    /// </summary>
    public bool StopAgreed { get; private set; }

    /// <summary>The steps left out this epoch for a non-finite loss (`optim.nonfinite=skip`).</summary>
    public int SkippedSteps => nonFinite.Skipped;

    public void BeginEpoch(int epochIndex, int batchCount, int skippedSteps = 0)
    {
        epoch = epochIndex;
        batches = batchCount;
        index = 0;
        StopAgreed = false;
        nonFinite.BeginEpoch(skippedSteps);
    }

    /// <summary>True between two optimizer steps (no gradient half-accumulated): where a mid-epoch checkpoint may be taken.</summary>
    public bool AtStepBoundary => index % accumulate == 0;

    /// <summary>Resumes an epoch after its first <paramref name="done"/> batches (a step boundary).</summary>
    public void Skip(int done)
    {
        if (done % accumulate != 0) throw new InvalidOperationException($"batch {done} is inside an accumulation group of {accumulate}");
        index = done;
    }

    /// <summary>
    /// Back-propagates one batch's loss times <paramref name="weight"/> (1 for one process) and steps when
    /// its group is complete. A null loss (a data-parallel rank with no sample in this batch) adds nothing
    /// but still takes part in the step. Returns the loss's value (NaN for a null loss), read once after the
    /// backward pass: the caller averages it, and a NaN or infinite one keeps the group's step from being applied.
    /// </summary>
    public double Backward(Tensor? loss, double weight = 1.0)
    {
        int groupStart = index / accumulate * accumulate;
        int groupSize = Math.Min(accumulate, batches - groupStart);
        if (index == groupStart) strategy.ZeroGrad(parameters);
        if (loss is not null)
        {
            if (weight == 1.0 && groupSize == 1) loss.backward();
            else
            {
                using var scaled = weight == 1.0 ? loss / groupSize : loss * (weight / groupSize);
                scaled.backward();
            }
        }
        double value = loss?.ToDouble() ?? double.NaN;
        if (loss is not null && !double.IsFinite(value)) (nanInGroup, infInGroup) = (nanInGroup || double.IsNaN(value), infInGroup || !double.IsNaN(value));
        strategy.AfterBackward();
        if (index == groupStart + groupSize - 1) Step();
        index++;
        return value;
    }

    void Step()
    {
        // The flags (and the stop request) travel in the gradient all-reduce itself (one collective per step), and every
        // rank reads the same sums, so all take the same decision at the same step. The sum also carries a flagged rank's NaN or infinite
        // gradients into every rank's buffer: safe, because the decision comes before anything reads the gradients (the
        // callbacks, clipping, the optimizer): stop throws here, skip zeroes the buffer, and the next group starts afresh.
        Span<double> flags = [nanInGroup ? 1 : 0, infInGroup ? 1 : 0, stopRequested?.Invoke() == true ? 1 : 0];
        (nanInGroup, infInGroup) = (false, false);
        strategy.BeforeOptimizerStep(flags);
        StopAgreed = flags[2] > 0;
        if (flags[0] > 0 || flags[1] > 0)
        {
            nonFinite.Handle(epoch + 1, index + 1, nan: flags[0] > 0); // throws to stop
            strategy.ZeroGrad(parameters);
            return;
        }
        gradientsReady?.Invoke();
        if (settings.ClipGradNorm is double maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
        if (settings.ClipGradValue is double maxValue) nn.utils.clip_grad_value_(parameters, maxValue);
        lr.Apply(optimizer, epoch);
        optimizer.step();
        lr.Stepped();
    }
}
