using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Distributed;

/// <summary>
/// Every trainable parameter's gradient as a view into one contiguous flat tensor (one per dtype), so the
/// gradient all-reduce is a single in-place MPI call on contiguous memory, with no copy in or out.
/// TorchSharp's <c>Tensor.grad</c> setter accepts a view, and libtorch's backward then accumulates into it in
/// place. What keeps the views: <see cref="Zero"/>, and TorchSharp 0.107's optimizers' <c>zero_grad()</c>
/// (they zero in place). What drops them: <c>Module.zero_grad()</c>, whose default is <c>set_to_none</c>;
/// <see cref="Reattach"/> (called by <see cref="AllReduceMean(ICollectives)"/>) then copies any gradient that libtorch
/// allocated elsewhere back into its view, so a dropped view costs a copy, never a wrong result.
/// <para>
/// <c>flagSlots</c> more elements at the end of the first flat tensor carry a few numbers per step in the same
/// all-reduce (the trainer's non-finite-loss flags), so a step needs one collective, not two: they are summed
/// with the gradients, element by element, and never mix with them. Small integer sums are exact in every
/// floating-point dtype MPI gets here (float32 up to 2^24).
/// </para>
/// </summary>
public sealed class GradientBuffer : IDisposable
{
    readonly List<Tensor> flats = [];
    readonly List<(Parameter Parameter, Tensor View)> views = [];
    readonly Tensor? flags;

    /// <param name="parameters">The parameters whose gradients are averaged; those without requires_grad are skipped.</param>
    /// <param name="flagSlots">How many numbers <see cref="AllReduceSum(ICollectives, Span{double})"/> may carry beside the gradients.</param>
    public GradientBuffer(IEnumerable<Parameter> parameters, int flagSlots = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(flagSlots);
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        foreach (var group in trainable.GroupBy(p => (p.dtype, p.device_type, p.device_index)))
        {
            long total = group.Sum(p => p.numel());
            var flat = zeros(total + (flats.Count == 0 ? flagSlots : 0), dtype: group.Key.dtype, device: group.First().device);
            long offset = 0;
            foreach (var p in group)
            {
                var view = flat.narrow(0, offset, p.numel()).view(p.shape);
                offset += p.numel();
                using (var existing = p.grad)
                    if (existing is not null)
                        using (no_grad()) view.copy_(existing);
                p.grad = view;
                views.Add((p, view));
            }
            if (flats.Count == 0 && flagSlots > 0) flags = flat.narrow(0, total, flagSlots);
            flats.Add(flat);
        }
        if (flagSlots > 0 && flags is null) // no trainable parameter: the flags travel alone
        {
            flats.Add(zeros(flagSlots));
            flags = flats[0].narrow(0, 0, flagSlots);
        }
    }

    /// <summary>The flat tensors (one per dtype and device) that hold every gradient; the first ends with the flag slots.</summary>
    public IReadOnlyList<Tensor> Buffers => flats;

    /// <summary>How many elements all the gradients hold (the flag slots aside).</summary>
    public long Count => flats.Sum(f => f.numel()) - FlagSlots;

    /// <summary>How many numbers an all-reduce may carry beside the gradients.</summary>
    public int FlagSlots => (int)(flags?.numel() ?? 0);

    /// <summary>Sets every gradient to zero in place (the views stay; use instead of <c>Module.zero_grad()</c>).</summary>
    public void Zero()
    {
        foreach (var flat in flats) flat.zero_();
    }

    /// <summary>
    /// Makes every parameter's .grad its view again where something replaced it: a gradient libtorch allocated
    /// elsewhere is copied into the view, a missing one (set_to_none, or a parameter unused this step) reads
    /// as zeros. Returns how many were reattached (0 in a well-behaved loop).
    /// </summary>
    public int Reattach()
    {
        int reattached = 0;
        using var _ = no_grad();
        foreach (var (p, view) in views)
        {
            using var grad = p.grad;
            if (grad is not null && TensorMemory.SameStart(grad, view)) continue;
            if (grad is null) view.zero_();
            else view.copy_(grad);
            p.grad = view;
            reattached++;
        }
        return reattached;
    }

    /// <summary>Replaces every gradient by its mean over the ranks: in-place sum, then ÷ world size.</summary>
    public void AllReduceMean(ICollectives collectives) => AllReduceMean(collectives, []);

    /// <summary>As <see cref="AllReduceMean(ICollectives)"/>, and replaces <paramref name="sums"/> by their sums (not means) over the ranks, in the same collective.</summary>
    public void AllReduceMean(ICollectives collectives, Span<double> sums)
    {
        AllReduceSum(collectives, sums);
        if (collectives.WorldSize > 1)
            foreach (var flat in flats) flat.div_(collectives.WorldSize);
    }

    /// <summary>Replaces every gradient by its sum over the ranks, in place (the mean when each rank's loss was divided by the world size).</summary>
    public void AllReduceSum(ICollectives collectives) => AllReduceSum(collectives, []);

    /// <summary>
    /// As <see cref="AllReduceSum(ICollectives)"/>, and replaces <paramref name="sums"/> (at most <see cref="FlagSlots"/>
    /// numbers) by their sums over the ranks: they travel in the flag slots of the same call (one collective per dtype).
    /// </summary>
    public void AllReduceSum(ICollectives collectives, Span<double> sums)
    {
        if (sums.Length > FlagSlots) throw new ArgumentException($"{sums.Length} numbers for {FlagSlots} flag slots", nameof(sums));
        Reattach();
        using var _ = no_grad();
        using var slots = sums.IsEmpty ? null : flags!.narrow(0, 0, sums.Length);
        if (slots is not null)
            using (var values = tensor(sums.ToArray(), dtype: ScalarType.Float64)) slots.copy_(values);
        foreach (var flat in flats) collectives.AllReduceSum(flat);
        if (slots is null) return;
        using var summed = slots.to(ScalarType.Float64, CPU);
        summed.data<double>().ToArray().CopyTo(sums);
    }

    /// <summary>Releases this object's handles; the parameters keep their gradients (libtorch holds the storage).</summary>
    public void Dispose()
    {
        foreach (var (_, view) in views) view.Dispose();
        flags?.Dispose();
        foreach (var flat in flats) flat.Dispose();
        views.Clear();
        flats.Clear();
    }
}
