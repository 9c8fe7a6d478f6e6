using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.Nn;

/// <summary>
/// The lecture's small CNN: two blocks of 3×3 conv (optionally batch-normed), ReLU and 2×2 max-pool (computed as
/// max-pool then ReLU, which is the same function with the same gradients),
/// then a hidden linear layer and the classifier. The features are computed on channels-last tensors
/// (<see cref="ChannelsLast"/>): the same function, rounded differently (oneDNN's NHWC kernels sum in another order).
/// The second block's ReLU sits at the head of <c>classifier</c>, after the return to NCHW (no parameters move:
/// checkpoints keep their keys).
/// </summary>
public sealed class SmallCnn : Module<Tensor, Tensor>
{
    readonly Sequential features;
    readonly Sequential classifier;

    public SmallCnn(int inChannels, int height, int width, int classes, int channels = 16, int hidden = 128,
        bool batchNorm = false, double dropout = 0.0) : base(nameof(SmallCnn))
    {
        // Layers are made (and randomly initialized) in forward order, first block first: the seed's weights stay put.
        var first = Block(inChannels, channels, batchNorm).ToList();
        var second = Block(channels, 2 * channels, batchNorm).ToList();
        // The second block's ReLU opens the classifier: it runs after the features return to NCHW (see forward).
        features = Sequential(first.Concat(second.SkipLast(1)));
        long flat = 2 * channels * (height / 4) * (width / 4);
        var head = new List<(string, Module<Tensor, Tensor>)> { second[^1], ("flatten", Flatten()), ("fc1", Linear(flat, hidden)), ("relu", ReLU()) };
        if (dropout > 0) head.Add(("dropout", Dropout(dropout)));
        head.Add(("fc2", Linear(hidden, classes)));
        classifier = Sequential(head);
        RegisterComponents();
    }

    static IEnumerable<(string, Module<Tensor, Tensor>)> Block(int inChannels, int outChannels, bool batchNorm)
    {
        string p = $"c{outChannels}_";
        yield return (p + "conv", Conv2d(inChannels, outChannels, 3, padding: 1, bias: !batchNorm));
        if (batchNorm) yield return (p + "bn", BatchNorm2d(outChannels));
        // Pool, then ReLU: the same values and gradients as ReLU then pool (ReLU is monotonic, so it commutes with
        // max; where a window's max is ≤ 0 both give it a zero gradient), with the ReLU on a quarter of the elements.
        // libtorch's max-pool: on the channels-last features (see forward) its kernel is vectorized over channels.
        yield return (p + "pool", MaxPool2d(2));
        yield return (p + "relu", ReLU());
    }

    public override Tensor forward(Tensor input)
    {
        // The convolutions run channels-last (no layout reorders around them). The features return to NCHW memory
        // once, here: before the last ReLU, whose backward would otherwise meet the flatten's NCHW gradient and an
        // NHWC result (libtorch's slow mixed-strides loop), and so that the flatten is a view, not a copy.
        using var nhwc = ChannelsLast.Of(input);
        using var f = features.forward(nhwc);
        using var nchw = f.contiguous();
        return classifier.forward(nchw);
    }
}
