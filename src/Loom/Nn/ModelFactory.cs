using Loom.Config;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>Builds a model for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> and <paramref name="classes"/> outputs.</summary>
public delegate Module<Tensor, Tensor> ModelBuilder(ModelSettings settings, int channels, int height, int width, int classes);

/// <summary>Builds the model named by `model.name` for images of the given shape: Loom's own, and those an app registers
/// (the reference app registers TorchVision's, <c>Loom.TorchVision.TorchVisionModels.Register()</c>).</summary>
public static class ModelFactory
{
    static readonly NamedRegistry<ModelBuilder> Models = new("model.name", "model", ["cnn", "mlp", "attention"]);

    /// <summary>Every model name: Loom's, then the registered ones in the order they were added.</summary>
    public static IReadOnlyList<string> Names => Models.Names;

    /// <summary>Adds a model by name (<c>app.Model(name, build)</c> on the app's builder calls this); registering a name again
    /// replaces its builder. Process-wide: the app's scheduled workers run the same registration.</summary>
    public static void Register(string name, ModelBuilder build) => Models.Register(name, build);

    /// <summary>The model, with weight norm, spectral norm or the λ reparametrization applied to its Linear/Conv layers when configured.</summary>
    public static Module<Tensor, Tensor> Create(ModelSettings s, int channels, int height, int width, int classes)
    {
        var model = CreateBase(s, channels, height, width, classes);
        if (s.WeightNorm) Reparametrize.WeightNorm(model);
        if (s.SpectralNorm) Reparametrize.SpectralNorm(model);
        if (s.ReparamLambda != 1) Reparametrize.Scale(model, s.ReparamLambda);
        return model;
    }

    /// <summary>Refuses a `model.name` that is neither Loom's nor registered: one line naming the choices, the closest, and
    /// where TorchVision's models come from.</summary>
    public static void Check(string name) =>
        Models.Check(name, name is "resnet18" or "mobilenet_v2" ? "resnet18 and mobilenet_v2 come with Loom.TorchVision: TorchVisionModels.Register()" : null);

    static Module<Tensor, Tensor> CreateBase(ModelSettings s, int channels, int height, int width, int classes) => s.Name switch
    {
        "cnn" => new SmallCnn(channels, height, width, classes, s.Channels, s.Hidden, s.BatchNorm, s.Dropout),
        "mlp" => new Mlp(channels * height * width, classes, s.Hidden, s.Layers, s.LayerNorm, s.Dropout),
        "attention" => new AttentionClassifier(channels, height, width, classes, s.Hidden, s.Layers, s.LayerNorm, s.Dropout),
        _ when Models.Registered(s.Name) is { } build => build(s, channels, height, width, classes),
        _ => throw Models.Unknown(s.Name),
    };
}
