using Loom.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// Synchronous data parallel, PyTorch DDP's semantics, as the trainer's <see cref="ITrainingStrategy"/> (the
/// trainer uses it by itself when <see cref="TrainerOptions.Process"/> has several ranks):
/// <list type="bullet">
/// <item><see cref="ITrainingStrategy.Setup"/>: parameters and buffers broadcast from rank 0 (after any checkpoint load,
/// so all ranks start identical), gradients moved into one <see cref="GradientBuffer"/>.</item>
/// <item><see cref="ITrainingStrategy.BeforeOptimizerStep"/>: once per optimizer step, after the backward pass that completes its
/// gradient, before clipping and the step: gradients averaged over the ranks, the step's flags summed in the same
/// all-reduce (the buffer's flag slots). Gradient accumulation communicates once per step this way (DDP's <c>no_sync</c>).</item>
/// <item><see cref="ITrainingStrategy.BeforeEvaluation"/>: buffers synchronized (and so before the checkpoint).</item>
/// <item><see cref="ITrainingStrategy.ReduceMetrics"/>: epoch metric sums, so every rank reports the same averages.</item>
/// </list>
/// BatchNorm running statistics are AVERAGED over the ranks, not broadcast from rank 0 as DDP does: the
/// running mean is an exponential average, linear in the batch means, so the average over ranks equals the
/// running mean of the full batch exactly (whenever it is taken), and it uses every rank's data where
/// DDP's broadcast keeps rank 0's shard only. The running variance averages per-rank variances, which
/// misses the spread between the ranks' means (as DDP's does too). Integer buffers (num_batches_tracked)
/// are equal on every rank and are broadcast. With one process, every method does nothing.
/// <para>
/// The ÷ W of the gradient average is one more pass over the gradients (10 ms for ResNet-18's 46.8 MB on
/// this machine, against 35–70 ms for the all-reduce itself). A trainer that already divides the loss (as it
/// does for gradient accumulation) can divide it by <see cref="WorldSize"/> too and set
/// <see cref="LossDividedByWorldSize"/>: the summed gradients are then the mean, with no extra pass.
/// </para>
/// </summary>
public sealed class DataParallel(ProcessContext process) : ITrainingStrategy
{
    nn.Module? model;
    GradientBuffer? gradients;

    public ProcessContext Process { get; } = process;

    /// <summary>The number of ranks (the loss divisor when <see cref="LossDividedByWorldSize"/> is set).</summary>
    public int WorldSize => Process.WorldSize;

    /// <summary>
    /// Set when every rank divides its loss by <see cref="WorldSize"/> before backward: <see cref="AverageGradients()"/>
    /// then only sums. Default: false (gradients summed, then divided).
    /// </summary>
    public bool LossDividedByWorldSize { get; init; }

    /// <summary>The gradient buffer (null before <see cref="Attach"/>, or with one process).</summary>
    public GradientBuffer? Gradients => gradients;

    void ITrainingStrategy.Setup(nn.Module module, IReadOnlyList<Parameter> parameters) => Attach(module, parameters);
    void ITrainingStrategy.BeforeOptimizerStep(Span<double> stepFlags) => AverageGradients(stepFlags);
    void ITrainingStrategy.BeforeEvaluation(nn.Module module) => SynchronizeBuffers();
    void ITrainingStrategy.ReduceMetrics(Span<double> sums) => Collectives?.AllReduceSum(sums);

    /// <summary>Zeroes the gradients in place in the buffer; before <see cref="Attach"/> (or with one process) releases them as one process does.</summary>
    void ITrainingStrategy.ZeroGrad(IReadOnlyList<Parameter> parameters)
    {
        if (gradients is not null) gradients.Zero();
        else foreach (var p in parameters) p.grad = null;
    }

    /// <summary>Broadcasts <paramref name="module"/>'s parameters and buffers from rank 0 and moves the gradients into one buffer.</summary>
    public void Attach(nn.Module module, IReadOnlyList<Parameter> parameters)
    {
        if (Collectives is not { } c) return;
        CheckSameModel(c, parameters);
        model = module;
        using (no_grad())
        {
            foreach (var p in parameters) Broadcast(c, p);
            foreach (var b in module.buffers()) Broadcast(c, b);
        }
        gradients?.Dispose();
        gradients = new GradientBuffer(parameters, ITrainingStrategy.MaxStepFlags);
    }

    /// <summary>Replaces every gradient by its mean over the ranks (call once per optimizer step, on every rank).</summary>
    public void AverageGradients() => AverageGradients([]);

    /// <summary>As <see cref="AverageGradients()"/>, and replaces <paramref name="stepFlags"/> by their sums over the ranks in the same all-reduce.</summary>
    public void AverageGradients(Span<double> stepFlags)
    {
        if (Collectives is not { } c) return;
        var buffer = gradients ?? throw new InvalidOperationException("DataParallel.Attach was not called");
        if (LossDividedByWorldSize) buffer.AllReduceSum(c, stepFlags);
        else buffer.AllReduceMean(c, stepFlags);
    }

    /// <summary>Makes the ranks' buffers equal: floating-point ones averaged (see the class note), the others broadcast from rank 0.</summary>
    public void SynchronizeBuffers()
    {
        if (Collectives is not { } c || model is null) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var buffers = model.buffers().ToList();
        foreach (var group in buffers.Where(b => b.is_floating_point()).GroupBy(b => b.dtype))
        {
            // One call for all of them: a ResNet holds dozens of small statistics tensors.
            var flat = cat(group.Select(b => b.flatten()).ToList());
            c.AllReduceSum(flat);
            flat.div_(c.WorldSize);
            long offset = 0;
            foreach (var b in group)
            {
                b.copy_(flat.narrow(0, offset, b.numel()).view(b.shape));
                offset += b.numel();
            }
        }
        foreach (var b in buffers.Where(b => !b.is_floating_point())) Broadcast(c, b);
    }

    public void Dispose() => gradients?.Dispose();

    ICollectives? Collectives => Process.IsDistributed ? Process.Collectives : null;

    // Ranks that built different models (another config) would broadcast into mismatched memory or hang: the
    // sums of n and n² over the ranks equal W·n and W·n² only when every rank has the same n.
    static void CheckSameModel(ICollectives c, IReadOnlyList<Parameter> parameters)
    {
        double tensors = parameters.Count, elements = parameters.Sum(p => p.numel());
        Span<double> sums = [tensors, tensors * tensors, elements, elements * elements];
        c.AllReduceSum(sums);
        int w = c.WorldSize;
        if (sums[0] != w * tensors || sums[1] != w * tensors * tensors || sums[2] != w * elements || sums[3] != w * elements * elements)
            throw new InvalidOperationException(
                $"rank {c.Rank}: the ranks hold different models ({tensors} parameter tensors, {elements} elements here): every rank must run the same config");
    }

    // MPI writes into the tensor's own memory; a non-contiguous one goes through a contiguous copy.
    static void Broadcast(ICollectives c, Tensor t)
    {
        if (t.numel() == 0) return;
        if (t.is_contiguous()) { c.Broadcast(t); return; }
        using var copy = t.contiguous();
        c.Broadcast(copy);
        t.copy_(copy);
    }
}
