using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>
/// `model=attention`: an image read as a sequence of its rows (28 steps of 28 pixels for Fashion-MNIST),
/// embedded to `hidden` channels plus a learned position embedding, then `layers` pre-norm residual blocks of
/// <see cref="EinsumAttention"/> and a position-wise MLP, and a final norm (as in ViT: it keeps SGD at lr 0.1
/// stable); the classifier reads every row's features, flattened, so it knows which row said what.
/// </summary>
public sealed class AttentionClassifier : Module<Tensor, Tensor>
{
    // Typed as modules, not Conv1d/Linear, so that weight/spectral norm can replace them (Reparametrize).
    readonly Module<Tensor, Tensor> embed;
    readonly Parameter position;
    readonly ModuleList<AttentionBlock> blocks;
    readonly Module<Tensor, Tensor> norm, head;

    public AttentionClassifier(int channels, int height, int width, int classes, int hidden = 64, int layers = 2,
        bool layerNorm = true, double dropout = 0.0) : base(nameof(AttentionClassifier))
    {
        embed = Conv1d(channels * width, hidden, 1);
        position = Parameter(randn(1, hidden, height) * 0.02);
        blocks = new ModuleList<AttentionBlock>(Enumerable.Range(0, layers).Select(_ => new AttentionBlock(hidden, layerNorm, dropout)).ToArray());
        norm = layerNorm ? new ChannelLayerNorm(hidden) : Identity();
        head = Linear(hidden * height, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        // [B, C, H, W] → [B, C·W, H]: each row is one step, its pixels (of every channel) its features.
        var rows = images.permute(0, 1, 3, 2).reshape(b, c * w, h);
        var x = embed.forward(rows) + position;
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(norm.forward(x).flatten(1)).MoveToOuterDisposeScope();
    }
}

/// <summary>x + attention(norm(x)), then x + mlp(norm(x)), on [batch, channels, time].</summary>
public sealed class AttentionBlock : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> norm1, norm2;
    readonly EinsumAttention attention;
    readonly Sequential mlp;

    public AttentionBlock(long channels, bool layerNorm, double dropout) : base(nameof(AttentionBlock))
    {
        norm1 = layerNorm ? new ChannelLayerNorm(channels) : Identity();
        norm2 = layerNorm ? new ChannelLayerNorm(channels) : Identity();
        attention = new EinsumAttention(channels);
        var layers = new List<(string, Module<Tensor, Tensor>)> { ("fc1", Conv1d(channels, 2 * channels, 1)), ("relu", ReLU()) };
        if (dropout > 0) layers.Add(("dropout", Dropout(dropout)));
        layers.Add(("fc2", Conv1d(2 * channels, channels, 1)));
        mlp = Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x + attention.forward(norm1.forward(x));
        return (y + mlp.forward(norm2.forward(y))).MoveToOuterDisposeScope();
    }
}

/// <summary>LayerNorm over the channels of a [batch, channels, time] tensor.</summary>
public sealed class ChannelLayerNorm : Module<Tensor, Tensor>
{
    readonly LayerNorm norm;

    public ChannelLayerNorm(long channels) : base(nameof(ChannelLayerNorm))
    {
        norm = LayerNorm(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var t = x.transpose(1, 2);
        using var n = norm.forward(t);
        return n.transpose(1, 2).contiguous();
    }
}
