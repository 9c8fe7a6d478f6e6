using Loom.Config;

namespace Loom.Nn;

/// <summary>Checks a `model` section before libtorch sees it: sizes positive, probabilities in range, one reparametrization, λ positive.</summary>
public static class ModelSettingsValidator
{
    public static void Validate(ModelSettings m)
    {
        if (m.Channels <= 0) throw new ConfigException($"model.channels={m.Channels}: expected a positive integer");
        if (m.Hidden <= 0) throw new ConfigException($"model.hidden={m.Hidden}: expected a positive integer");
        if (m.Layers <= 0) throw new ConfigException($"model.layers={m.Layers}: expected a positive integer");
        if (m.Dropout is < 0 or >= 1 || double.IsNaN(m.Dropout)) throw new ConfigException($"model.dropout={m.Dropout}: expected a probability in [0, 1)");
        if (!(m.WidthMult > 0) || double.IsInfinity(m.WidthMult)) throw new ConfigException($"model.width_mult={m.WidthMult}: expected a positive number");
        if (m.WeightNorm && m.SpectralNorm)
            throw new ConfigException("model.spectral_norm=true: cannot be combined with model.weight_norm=true");
        if (!(m.ReparamLambda > 0) || double.IsInfinity(m.ReparamLambda))
            throw new ConfigException($"model.reparam_lambda={m.ReparamLambda}: expected a positive number (1 = no reparametrization)");
        if (m.ReparamLambda != 1 && (m.WeightNorm || m.SpectralNorm))
            throw new ConfigException($"model.reparam_lambda={m.ReparamLambda}: cannot be combined with model.{(m.WeightNorm ? "weight_norm" : "spectral_norm")}=true");
    }
}
