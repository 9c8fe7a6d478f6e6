using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// Adam's and AdamW's update of one parameter tensor in two passes over its memory and one libtorch operation (PyTorch's
/// <c>Adam(fused=True)</c> on CPU, which TorchSharp does not expose). TorchSharp's step runs eight libtorch operations
/// per tensor (decay, two for each moment, square root, division, ε, the parameter's update), each a native call and
/// a pass over the memory, three of them into temporaries. Here one loop updates both moments, libtorch takes √v (its
/// vectorized square root is not always the correctly rounded one: measured, 17 % of random values differ from the
/// correctly rounded one), and a second loop updates the parameter. The loops do TorchSharp's arithmetic in its order with
/// libtorch's roundings — its scalars converted to float, an FMA where libtorch's add-with-alpha and <c>addcmul</c>
/// are one, true divisions — so the values are TorchSharp's bit for bit: checked once per process against
/// TorchSharp's own step (<see cref="IsUsable"/>); where it differs, the optimizers keep theirs.
/// </summary>
public static class FusedAdamUpdate
{
    /// <summary>One step's scalars, as libtorch receives them (float), for the step count <c>t</c> of the parameter.</summary>
    public readonly record struct Coefficients(bool Decoupled, bool Maximize, float WeightDecay, float DecayFactor,
        float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float SqrtBiasCorrection2, float Eps, float NegativeStepSize)
    {
        /// <summary><paramref name="decoupled"/>: AdamW (the parameter is multiplied by 1 − lr·wd first); otherwise Adam (wd·p is added to the gradient).</summary>
        public static Coefficients Of(bool decoupled, double lr, double beta1, double beta2, double eps, double weightDecay, bool maximize, long t)
        {
            double biasCorrection1 = 1 - Math.Pow(beta1, t), biasCorrection2 = 1 - Math.Pow(beta2, t);
            return new(decoupled, maximize, (float)weightDecay, (float)(1 - lr * weightDecay), (float)beta1, (float)(1 - beta1),
                (float)beta2, (float)(1 - beta2), (float)Math.Sqrt(biasCorrection2), (float)eps, (float)-(lr / biasCorrection1));
        }
    }

    static readonly Lazy<bool> usable = new(() => Vector.IsHardwareAccelerated && Fma.IsSupported && MatchesTorchSharp());

    /// <summary>
    /// Whether Loom's Adam and AdamW use the loops on this machine: x86 with vector hardware and FMA (as
    /// <see cref="FusedSgdUpdate.IsUsable"/>), and only if they reproduce TorchSharp's step there (checked on first use).
    /// </summary>
    public static bool IsUsable => usable.Value;

    /// <summary>
    /// Whether a step over these groups (of TorchSharp's Adam or AdamW) can run here: the loops are exact on this
    /// machine, no group uses AMSGrad, and every parameter, gradient and moment is a float32 CPU contiguous tensor.
    /// Decided for the whole step (else the optimizer's own step runs), so a step never mixes the two.
    /// </summary>
    public static bool CanStep(IEnumerable<ParamGroup> groups, Func<Parameter, OptimizerState> stateOf) =>
        IsUsable && groups.All(group => !Settings(group.Options).Amsgrad && group.Parameters.All(p => Fits(p, Moments(stateOf(p)))));

    static bool Fits(Parameter parameter, (Tensor ExpAvg, Tensor ExpAvgSq) moments)
    {
        using var grad = parameter.grad;
        var (m, v) = moments;
        return FloatTensors.Fits(parameter) && FloatTensors.Fits(m) && FloatTensors.Fits(v) && m.numel() == parameter.numel() &&
               v.numel() == parameter.numel() && (grad is null || (FloatTensors.Fits(grad) && grad.numel() == parameter.numel()));
    }

    /// <summary>
    /// One step over a group that <see cref="CanStep"/>: for each parameter with a gradient, counts the step in its
    /// state, then updates its moments and itself. Returns how many tensors it updated.
    /// </summary>
    public static int StepGroup(ParamGroup group, Func<Parameter, OptimizerState> stateOf, bool decoupled)
    {
        var s = Settings(group.Options);
        int updated = 0;
        foreach (var parameter in group.Parameters)
        {
            using var grad = parameter.grad;
            if (grad is null) continue;
            var state = stateOf(parameter);
            long t = Advance(state);
            var (m, v) = Moments(state);
            Step(parameter, grad, m, v, Coefficients.Of(decoupled, s.Lr, s.Beta1, s.Beta2, s.Eps, s.WeightDecay, s.Maximize, t));
            updated++;
        }
        return updated;
    }

    // TorchSharp's Adam and AdamW declare the same options and state as two sets of classes.
    readonly record struct GroupSettings(double Lr, double Beta1, double Beta2, double Eps, double WeightDecay, bool Amsgrad, bool Maximize);

    static GroupSettings Settings(OptimizerOptions options) => options switch
    {
        TorchSharp.Modules.Adam.Options o => new(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value),
        TorchSharp.Modules.AdamW.Options o => new(o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.weight_decay!.Value, o.amsgrad!.Value, o.maximize!.Value),
        _ => throw new ArgumentException($"not Adam's or AdamW's options: {options.GetType().Name}"),
    };

    static (Tensor ExpAvg, Tensor ExpAvgSq) Moments(OptimizerState state) => state switch
    {
        TorchSharp.Modules.Adam.State a => (a.exp_avg, a.exp_avg_sq),
        TorchSharp.Modules.AdamW.State w => (w.exp_avg, w.exp_avg_sq),
        _ => throw new ArgumentException($"not Adam's or AdamW's state: {state.GetType().Name}"),
    };

    static long Advance(OptimizerState state) => state switch
    {
        TorchSharp.Modules.Adam.State a => ++a.step,
        TorchSharp.Modules.AdamW.State w => ++w.step,
        _ => throw new ArgumentException($"not Adam's or AdamW's state: {state.GetType().Name}"),
    };

    /// <summary>
    /// The first half of a step: g ← ±g (+ wd·p for Adam); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g².
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateMoments(ReadOnlySpan<float> param, ReadOnlySpan<float> grad, Span<float> expAvg, Span<float> expAvgSq, in Coefficients c)
    {
        if (grad.Length != param.Length || expAvg.Length != param.Length || expAvgSq.Length != param.Length)
            throw new ArgumentException($"parameter of {param.Length} elements, gradient {grad.Length}, moments {expAvg.Length} and {expAvgSq.Length}");
        ref float p = ref MemoryMarshal.GetReference(param);
        ref float g = ref MemoryMarshal.GetReference(grad);
        ref float m = ref MemoryMarshal.GetReference(expAvg);
        ref float v = ref MemoryMarshal.GetReference(expAvgSq);
        bool decay = !c.Decoupled && c.WeightDecay != 0;
        int n = param.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var wd = new Vector<float>(c.WeightDecay);
            var b1 = new Vector<float>(c.Beta1);
            var ob1 = new Vector<float>(c.OneMinusBeta1);
            var b2 = new Vector<float>(c.Beta2);
            var ob2 = new Vector<float>(c.OneMinusBeta2);
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
            {
                var gv = Vector.LoadUnsafe(ref g, (nuint)i);
                if (c.Maximize) gv = -gv;
                if (decay) gv = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref p, (nuint)i), wd, gv);
                Vector.FusedMultiplyAdd(gv, ob1, Vector.LoadUnsafe(ref m, (nuint)i) * b1).StoreUnsafe(ref m, (nuint)i);
                Vector.FusedMultiplyAdd(ob2 * gv, gv, Vector.LoadUnsafe(ref v, (nuint)i) * b2).StoreUnsafe(ref v, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float gv = Unsafe.Add(ref g, i);
            if (c.Maximize) gv = -gv;
            if (decay) gv = MathF.FusedMultiplyAdd(Unsafe.Add(ref p, i), c.WeightDecay, gv);
            Unsafe.Add(ref m, i) = MathF.FusedMultiplyAdd(gv, c.OneMinusBeta1, Unsafe.Add(ref m, i) * c.Beta1);
            Unsafe.Add(ref v, i) = MathF.FusedMultiplyAdd(c.OneMinusBeta2 * gv, gv, Unsafe.Add(ref v, i) * c.Beta2);
        }
    }

    /// <summary>
    /// The second half, given √v computed by libtorch (its square root is not always the correctly rounded one):
    /// p ← p·(1 − lr·wd) (AdamW); p ← p − (lr / (1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + ε).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateParameter(Span<float> param, ReadOnlySpan<float> expAvg, ReadOnlySpan<float> sqrtExpAvgSq, in Coefficients c)
    {
        if (expAvg.Length != param.Length || sqrtExpAvgSq.Length != param.Length)
            throw new ArgumentException($"parameter of {param.Length} elements, moments {expAvg.Length} and {sqrtExpAvgSq.Length}");
        ref float p = ref MemoryMarshal.GetReference(param);
        ref float m = ref MemoryMarshal.GetReference(expAvg);
        ref float s = ref MemoryMarshal.GetReference(sqrtExpAvgSq);
        int n = param.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<float>(c.DecayFactor);
            var bc2 = new Vector<float>(c.SqrtBiasCorrection2);
            var eps = new Vector<float>(c.Eps);
            var step = new Vector<float>(c.NegativeStepSize);
            for (; i + Vector<float>.Count <= n; i += Vector<float>.Count)
            {
                var pv = Vector.LoadUnsafe(ref p, (nuint)i);
                if (c.Decoupled) pv *= factor;
                var denominator = Vector.LoadUnsafe(ref s, (nuint)i) / bc2 + eps;
                (pv + step * Vector.LoadUnsafe(ref m, (nuint)i) / denominator).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float pv = Unsafe.Add(ref p, i);
            if (c.Decoupled) pv *= c.DecayFactor;
            Unsafe.Add(ref p, i) = pv + c.NegativeStepSize * Unsafe.Add(ref m, i) / (Unsafe.Add(ref s, i) / c.SqrtBiasCorrection2 + c.Eps);
        }
    }

    /// <summary>One step of one parameter: the moments, libtorch's √v, the parameter.</summary>
    static void Step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, in Coefficients c)
    {
        UpdateMoments(FloatTensors.Elements(param), FloatTensors.Elements(grad), FloatTensors.Elements(expAvg), FloatTensors.Elements(expAvgSq), c);
        using var root = expAvgSq.sqrt();
        UpdateParameter(FloatTensors.Elements(param), FloatTensors.Elements(expAvg), FloatTensors.Elements(root), c);
    }

    /// <summary>
    /// Three steps of TorchSharp's Adam and AdamW (with and without weight decay, maximize) against the loop on random
    /// tensors whose sizes leave libtorch scalar tails, in one and in two of its threads' shares; compares the bits.
    /// </summary>
    static bool MatchesTorchSharp()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(54321);
        foreach (int n in new[] { 31, 70_001 })
        foreach (var (decoupled, weightDecay, maximize) in new[] { (false, 0.0, false), (false, 1e-2, true), (true, 1e-2, false) })
        {
            const double lr = 1e-2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
            var start = randn(n, generator: generator);
            var grads = Enumerable.Range(0, 3).Select(_ => randn(n, generator: generator)).ToArray();
            var reference = new Parameter(start.clone());
            using TorchSharp.Modules.OptimizerHelper optimizer = decoupled
                ? new TorchSharp.Modules.AdamW([reference], lr, beta1, beta2, eps, weightDecay, maximize: maximize)
                : new TorchSharp.Modules.Adam([reference], lr, beta1, beta2, eps, weightDecay, maximize: maximize);
            var p = start.clone();
            var (m, v) = (zeros(n), zeros(n));
            for (int t = 1; t <= 3; t++)
            {
                reference.grad = grads[t - 1];
                optimizer.step();
                Step(p, grads[t - 1], m, v, Coefficients.Of(decoupled, lr, beta1, beta2, eps, weightDecay, maximize, t));
            }
            if (!FloatTensors.SameBits(reference, p)) return false;
        }
        return true;
    }
}
