using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>A multi-layer perceptron on flattened images: `layers` hidden layers of `hidden` units,
/// each Linear → (LayerNorm) → ReLU → (Dropout).</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    readonly Sequential layers;

    public Mlp(long inputs, int classes, int hidden = 256, int depth = 2, bool layerNorm = false, double dropout = 0.0)
        : base(nameof(Mlp))
    {
        var modules = new List<(string, Module<Tensor, Tensor>)> { ("flatten", Flatten()) };
        long width = inputs;
        for (int i = 0; i < depth; i++)
        {
            modules.Add(($"fc{i}", Linear(width, hidden)));
            if (layerNorm) modules.Add(($"ln{i}", LayerNorm(hidden)));
            modules.Add(($"relu{i}", ReLU()));
            if (dropout > 0) modules.Add(($"dropout{i}", Dropout(dropout)));
            width = hidden;
        }
        modules.Add(("head", Linear(width, classes)));
        layers = Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => layers.forward(input);
}
