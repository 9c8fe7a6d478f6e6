using Loom.Training;

namespace Loom.Optim;

/// <summary>Loom's own optimizers by `optim.name` (<see cref="OptimCatalog.BuiltIn"/>); a run with an app's catalogue asks it instead.</summary>
public static class OptimizerFactory
{
    public static readonly string[] Names = [.. OptimCatalog.Default.OptimizerNames];

    /// <summary>
    /// The work an optimizer needs once per process, done ahead so that the first step does not wait for it (`loom
    /// train` calls this while it reads the data): for SGD, Adam and AdamW, checking their fused updates against libtorch (~20 ms).
    /// </summary>
    public static void Prepare(OptimSettings s) => OptimCatalog.Default.Optimizer(s.Name).Prepare(s);

    /// <summary>The optimizer over <paramref name="parameters"/> as one group.</summary>
    public static TorchSharp.Modules.OptimizerHelper Create(OptimSettings s, IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        OptimCatalog.Default.Optimizer(s.Name).Create(s, [new ParameterGroup(parameters.ToList())]);
}
