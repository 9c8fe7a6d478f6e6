using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>Builds the optimizer named by `optim.name` over a model's parameters: Loom's SGD, Adam and AdamW (TorchSharp's with
/// fused updates), TorchSharp's Adagrad.</summary>
public static class OptimizerFactory
{
    public static readonly string[] Names = ["sgd", "adagrad", "adam", "adamw"];

    /// <summary>
    /// The work an optimizer needs once per process, done ahead so that the first step does not wait for it (`loom
    /// train` calls this while it reads the data): for SGD, Adam and AdamW, checking their fused updates against libtorch (~20 ms).
    /// </summary>
    public static void Prepare(OptimSettings s)
    {
        if (s.Name == "sgd") _ = FusedSgdUpdate.IsUsable;
        else if (s.Name is "adam" or "adamw") _ = FusedAdamUpdate.IsUsable;
    }

    public static TorchSharp.Modules.OptimizerHelper Create(OptimSettings s, IEnumerable<TorchSharp.Modules.Parameter> parameters) => s.Name switch
    {
        "sgd" => new Sgd(parameters, s.Lr, s.Momentum, s.Dampening, s.WeightDecay, s.Nesterov),
        "adagrad" => optim.Adagrad(parameters, s.Lr, s.LrDecay, s.WeightDecay, s.InitialAccumulatorValue, s.Eps),
        "adam" => new Adam(parameters, s.Lr, s.Betas[0], s.Betas[1], s.Eps, s.WeightDecay, s.Amsgrad),
        "adamw" => new AdamW(parameters, s.Lr, s.Betas[0], s.Betas[1], s.Eps, s.WeightDecay, s.Amsgrad),
        _ => throw new ArgumentException($"optim.name: unknown optimizer '{s.Name}' (expected one of {string.Join(", ", Names)})"),
    };
}
