using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Training;

/// <summary>
/// How the fit is spread over processes (Lightning's <c>Strategy</c>, reduced to the points Loom's loop has): the
/// trainer calls it at fixed points, the same on every rank, so every collective runs in the same order
/// everywhere. <see cref="SingleDeviceStrategy"/> is one process; <see cref="Distributed.DataParallel"/> is
/// synchronous data parallel over MPI (PyTorch DDP's semantics). The trainer picks one from
/// <see cref="TrainerOptions.Process"/> unless <see cref="TrainerOptions.Strategy"/> names one.
/// </summary>
public interface ITrainingStrategy : IDisposable
{
    /// <summary>Once, after the model, optimizer and any checkpoint are loaded, before the first step (data parallel: broadcast from rank 0).</summary>
    void Setup(nn.Module model, IReadOnlyList<Parameter> parameters);

    /// <summary>Clears the gradients at the start of an optimizer step's accumulation group.</summary>
    void ZeroGrad(IReadOnlyList<Parameter> parameters);

    /// <summary>After each micro-batch's backward pass (data parallel communicates once per step instead: DDP's <c>no_sync</c>).</summary>
    void AfterBackward() { }

    /// <summary>How many step flags <see cref="BeforeOptimizerStep"/> carries at most (the stepper's NaN, infinity and stop-request flags).</summary>
    const int MaxStepFlags = 3;

    /// <summary>
    /// Once per optimizer step, after the backward pass that completes its gradient, before clipping and the step: makes
    /// every rank's gradients the global batch's mean gradient. The trainer weighs each rank's loss by its samples ÷ the
    /// global batch, so a plain sum over the ranks is that mean. <paramref name="stepFlags"/> (at most
    /// <see cref="MaxStepFlags"/>) are replaced by their sums over the ranks in the same collective, so that every rank
    /// decides the step alike with one collective per step.
    /// </summary>
    void BeforeOptimizerStep(Span<double> stepFlags);

    /// <summary>Before the evaluation splits of each epoch (data parallel: makes buffers such as BatchNorm's statistics equal).</summary>
    void BeforeEvaluation(nn.Module model);

    /// <summary>Replaces <paramref name="sums"/> by their sums over the ranks (metric sums and weights, a stop flag).</summary>
    void ReduceMetrics(Span<double> sums);
}

/// <summary>One process on one device: nothing to synchronize.</summary>
public sealed class SingleDeviceStrategy : ITrainingStrategy
{
    public void Setup(nn.Module model, IReadOnlyList<Parameter> parameters) { }

    /// <summary>
    /// PyTorch 2's <c>zero_grad(set_to_none=True)</c>, where TorchSharp's optimizers zero in place: the next backward
    /// then writes fresh gradients instead of adding them to zeros, which saves a fill and an add over every
    /// parameter per step. The values are the same (0 + g = g); a parameter that gets no gradient is skipped by the
    /// optimizer instead of being decayed, as in PyTorch 2.
    /// </summary>
    public void ZeroGrad(IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in parameters) p.grad = null;
    }

    public void BeforeOptimizerStep(Span<double> stepFlags) { }
    public void BeforeEvaluation(nn.Module model) { }
    public void ReduceMetrics(Span<double> sums) { }
    public void Dispose() { }
}
