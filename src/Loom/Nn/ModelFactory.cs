using Loom.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>Builds the model named by `model.name` for images of the given shape.</summary>
public static class ModelFactory
{
    public static readonly string[] Names = ["cnn", "mlp", "resnet18", "mobilenet_v2", "attention"];

    /// <summary>The model, with weight norm, spectral norm or the λ reparametrization applied to its Linear/Conv layers when configured.</summary>
    public static Module<Tensor, Tensor> Create(ModelSettings s, int channels, int height, int width, int classes)
    {
        var model = CreateBase(s, channels, height, width, classes);
        if (s.WeightNorm) Reparametrize.WeightNorm(model);
        if (s.SpectralNorm) Reparametrize.SpectralNorm(model);
        if (s.ReparamLambda != 1) Reparametrize.Scale(model, s.ReparamLambda);
        return model;
    }

    static Module<Tensor, Tensor> CreateBase(ModelSettings s, int channels, int height, int width, int classes) => s.Name switch
    {
        "cnn" => new SmallCnn(channels, height, width, classes, s.Channels, s.Hidden, s.BatchNorm, s.Dropout),
        "mlp" => new Mlp(channels * height * width, classes, s.Hidden, s.Layers, s.LayerNorm, s.Dropout),
        "resnet18" => TorchVisionModels.ResNet18(channels, classes),
        "mobilenet_v2" => TorchVisionModels.MobileNetV2(channels, classes, s.WidthMult),
        "attention" => new AttentionClassifier(channels, height, width, classes, s.Hidden, s.Layers, s.LayerNorm, s.Dropout),
        _ => throw new ArgumentException($"model.name: unknown model '{s.Name}' (expected one of {string.Join(", ", Names)})"),
    };
}
