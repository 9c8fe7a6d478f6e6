using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// SGD's update of one parameter tensor in a single pass over its memory (PyTorch's <c>SGD(fused=True)</c> on CPU,
/// which libtorch has but TorchSharp does not expose). The unfused step runs up to five libtorch operations per
/// tensor (decayed gradient, momentum ×, +, Nesterov look-ahead, parameter +), each a native call, a pass over the
/// memory and, for the first, a temporary; this loop reads each element once and keeps the intermediates in
/// registers. Same arithmetic in the same order, each step an FMA exactly where libtorch's add-with-alpha is one
/// (<c>self + alpha·other</c>), so the values are libtorch's bit for bit: checked once per process against libtorch
/// itself on random data (<see cref="MatchesLibtorch"/>); where it differs, <see cref="Sgd"/> keeps the unfused step.
/// </summary>
public static class FusedSgdUpdate
{
    /// <summary>The hyper-parameters of one step, as libtorch receives them: its scalars are converted to float.</summary>
    public readonly record struct Coefficients(float WeightDecay, float Momentum, float Dampened, bool Nesterov, float Alpha)
    {
        public static Coefficients Of(double weightDecay, double momentum, double dampening, bool nesterov, double alpha) =>
            new((float)weightDecay, (float)momentum, (float)(1 - dampening), nesterov, (float)alpha);
    }

    static readonly Lazy<bool> usable = new(() => Vector.IsHardwareAccelerated && Fma.IsSupported && MatchesLibtorch());

    /// <summary>
    /// Whether <see cref="Sgd"/> uses the loop on this machine: x86 with vector hardware and FMA (AVX2 or AVX-512; the
    /// loop runs .NET's <see cref="Vector{T}"/>, 256 bits on both: as fast as 512-bit code on the AMD Zen 4 measured),
    /// and only if it reproduces libtorch there (checked on first use). Elsewhere libtorch's own kernels are kept.
    /// </summary>
    public static bool IsUsable => usable.Value;

    /// <summary>
    /// One step for one parameter: d = g + wd·p; with momentum b = momentum·b + (1 − dampening)·d (b = d when
    /// <paramref name="firstMomentum"/>), d = b or, Nesterov, d + momentum·b; then p = p + alpha·d.
    /// <paramref name="buffer"/> is empty without momentum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(Span<float> param, ReadOnlySpan<float> grad, Span<float> buffer, bool firstMomentum, in Coefficients c)
    {
        if (grad.Length != param.Length || (buffer.Length != 0 && buffer.Length != param.Length))
            throw new ArgumentException($"parameter of {param.Length} elements, gradient {grad.Length}, momentum buffer {buffer.Length}");
        ref float p = ref MemoryMarshal.GetReference(param);
        ref float g = ref MemoryMarshal.GetReference(grad);
        ref float b = ref MemoryMarshal.GetReference(buffer);
        bool momentum = buffer.Length != 0, decay = c.WeightDecay != 0;
        int n = param.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var wd = new Vector<float>(c.WeightDecay);
            var mu = new Vector<float>(c.Momentum);
            var damp = new Vector<float>(c.Dampened);
            var alpha = new Vector<float>(c.Alpha);
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
            {
                var pv = Vector.LoadUnsafe(ref p, (nuint)i);
                var d = Vector.LoadUnsafe(ref g, (nuint)i);
                if (decay) d = Vector.FusedMultiplyAdd(pv, wd, d);
                if (momentum)
                {
                    var bv = firstMomentum ? d : Vector.FusedMultiplyAdd(d, damp, Vector.LoadUnsafe(ref b, (nuint)i) * mu);
                    bv.StoreUnsafe(ref b, (nuint)i);
                    d = c.Nesterov ? Vector.FusedMultiplyAdd(bv, mu, d) : bv;
                }
                Vector.FusedMultiplyAdd(d, alpha, pv).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float pv = Unsafe.Add(ref p, i), d = Unsafe.Add(ref g, i);
            if (decay) d = MathF.FusedMultiplyAdd(pv, c.WeightDecay, d);
            if (momentum)
            {
                float bv = firstMomentum ? d : MathF.FusedMultiplyAdd(d, c.Dampened, Unsafe.Add(ref b, i) * c.Momentum);
                Unsafe.Add(ref b, i) = bv;
                d = c.Nesterov ? MathF.FusedMultiplyAdd(bv, c.Momentum, d) : bv;
            }
            Unsafe.Add(ref p, i) = MathF.FusedMultiplyAdd(d, c.Alpha, pv);
        }
    }

    /// <summary>
    /// Two steps of <see cref="Sgd"/>'s libtorch operations against the loop (every branch: decay or not, momentum first
    /// and later, Nesterov) on random tensors whose sizes leave libtorch scalar tails, in one and in two of its
    /// threads' shares; compares the bits. Once per process (`loom train` runs it while it reads its data).
    /// </summary>
    static bool MatchesLibtorch()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(12345);
        foreach (int n in new[] { 31, 70_001 }) // a vector body and scalar tail; two libtorch threads' shares, each with its tail
        foreach (var (wd, momentum, dampening, nesterov) in new[] { (0.0, 0.0, 0.0, false), (5e-4, 0.9, 0.1, false), (1e-2, 0.8, 0.0, true) })
        {
            const double lr = 0.1;
            var start = randn(n, generator: generator);
            var grad = randn(n, generator: generator);
            var reference = new TorchSharp.Modules.Parameter(start.clone());
            using var sgd = new Sgd([reference], lr, momentum, dampening, wd, nesterov, fused: false);
            var (p, buffer) = (start.clone(), momentum != 0 ? zeros(n) : empty(0));
            var c = Coefficients.Of(wd, momentum, dampening, nesterov, -lr);
            for (int step = 0; step < 2; step++)
            {
                reference.grad = grad;
                sgd.step();
                Apply(FloatTensors.Elements(p), FloatTensors.Elements(grad), FloatTensors.Elements(buffer), step == 0, c);
            }
            var referenceBuffer = ((TorchSharp.Modules.SGD.State)sgd.state_dict().State[0]).momentum_buffer;
            if (!FloatTensors.SameBits(reference, p) || (referenceBuffer is not null && !FloatTensors.SameBits(referenceBuffer, buffer))) return false;
        }
        return true;
    }
}
