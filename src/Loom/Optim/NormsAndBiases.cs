using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim;

/// <summary>
/// The parameters that weight decay should leave alone (the usual practice with AdamW: BERT, timm, nanoGPT): biases and
/// the scales and shifts of normalization layers, which decay would only pull towards zero without regularizing anything.
/// </summary>
public static class NormsAndBiases
{
    /// <summary>Splits <paramref name="parameters"/> (in their order) into those to decay and the norms' and biases'.</summary>
    public static (List<Parameter> Decay, List<Parameter> NoDecay) Split(nn.Module model, IReadOnlyList<Parameter> parameters)
    {
        var exempt = new HashSet<IntPtr>();
        foreach (var (_, module) in model.named_modules().Prepend(("", model)))
        {
            bool norm = module is NormBase or LayerNorm or GroupNorm;
            foreach (var (name, p) in module.named_parameters(recurse: false))
                if (norm || name == "bias") exempt.Add(p.Handle);
        }
        var decay = parameters.Where(p => !exempt.Contains(p.Handle)).ToList();
        var noDecay = parameters.Where(p => exempt.Contains(p.Handle)).ToList();
        return (decay, noDecay);
    }
}
