using Loom.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Loom.TorchVision;

/// <summary>
/// TorchVision's ResNet-18 and MobileNetV2 adapted to small images (28×28 or 32×32) with any channel count.
/// TorchVision builds them for 3×224×224, with a stride-2 stem (and, for ResNet, a max-pool) that would
/// shrink a 28×28 input to nothing useful. As is usual for CIFAR/MNIST, the stem becomes a stride-1 3×3 conv
/// and ResNet's max-pool is dropped. TorchVision keeps its sub-modules private but exposes them as named
/// children, so the adapted model is a Sequential of TorchVision's own blocks: the same forward and the
/// same parameter names (`layer1.0.conv1.weight`, …) as TorchVision's model.
/// <para>An assembly of its own because the TorchVision package brings SkiaSharp (its image I/O) into every app
/// that references it: an app that wants `model=resnet18`/`mobilenet_v2` calls <see cref="Register"/>.</para>
/// </summary>
public static class TorchVisionModels
{
    /// <summary>Adds `resnet18` and `mobilenet_v2` to <see cref="ModelFactory"/> (again: nothing changes).</summary>
    public static void Register()
    {
        ModelFactory.Register("resnet18", (_, channels, _, _, classes) => ResNet18(channels, classes));
        ModelFactory.Register("mobilenet_v2", (s, channels, _, _, classes) => MobileNetV2(channels, classes, s.WidthMult));
    }

    public static Module<Tensor, Tensor> ResNet18(int inChannels, int classes)
    {
        var resnet = torchvision.models.resnet18(num_classes: classes);
        var children = resnet.named_children().ToDictionary(c => c.name, c => (Module<Tensor, Tensor>)c.module);
        var stem = Conv2d(inChannels, 64, 3, stride: 1, padding: 1, bias: false);
        var modules = new List<(string, Module<Tensor, Tensor>)> { ("conv1", stem) };
        foreach (var name in new[] { "bn1", "relu", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc" })
            modules.Add((name, children[name]));
        return Sequential(modules);
    }

    public static Module<Tensor, Tensor> MobileNetV2(int inChannels, int classes, double widthMult = 1.0)
    {
        var mobilenet = torchvision.models.mobilenet_v2(num_classes: classes, width_mult: widthMult);
        var children = mobilenet.named_children().ToDictionary(c => c.name, c => c.module);
        var features = ((Sequential)children["features"]).named_children().ToList();
        // features.0 is Conv(3→32·width, stride 2)+BN+ReLU6: replace it by a stride-1 conv of the input's channels.
        var firstBlock = features[0].module.named_children().ToList();
        var firstConv = (Conv2d)firstBlock[0].module;
        var stem = Sequential(
            ("0", Conv2d(inChannels, firstConv.out_channels, 3, stride: 1, padding: 1, bias: false)),
            ("1", (Module<Tensor, Tensor>)firstBlock[1].module),
            ("2", (Module<Tensor, Tensor>)firstBlock[2].module));
        var rebuilt = new List<(string, Module<Tensor, Tensor>)> { ("0", stem) };
        rebuilt.AddRange(features.Skip(1).Select(f => (f.name, (Module<Tensor, Tensor>)f.module)));
        return Sequential(
            ("features", Sequential(rebuilt)),
            ("pool", AdaptiveAvgPool2d(1)),
            ("flatten", Flatten()),
            ("classifier", (Module<Tensor, Tensor>)children["classifier"]));
    }
}
