using System.Text.Json.Nodes;
using Loom.Config;
using Loom.Data;
using Loom.Nn;
using Loom.Vision;
using TorchSharp;
using static Loom.App.Tests.InProcessApp;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>
/// docs/library.md's own model and own data set, run for real: an app on the reference task registers a model and an
/// image data set by name on its builder (no edit to Loom), and `train` with the repository's conf trains one epoch on
/// a data.limit subset of the real Fashion-MNIST through them; an unknown name is one line, exit 2, naming the closest.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class ModelDatasetRegistryTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-registry-").FullName;
    static readonly string Conf = Path.Combine(Shell.RepoRoot, "conf");

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>What each call of the registered builder saw: the image shape, the classes and the `model` section.</summary>
    static readonly List<(int Channels, int Height, int Width, int Classes, int Hidden)> Built = [];

    /// <summary>Fashion-MNIST's first five classes (T-shirt, trouser, pullover, dress, coat): a 5-class image data set.</summary>
    public static RawImages FirstFiveClasses(DataSettings s)
    {
        var all = FashionMnist.Read(s.Root ?? throw new ConfigException("data.root: not set (the Fashion-MNIST folder)"));
        (byte[] Pixels, byte[] Labels) Keep(byte[] pixels, byte[] labels)
        {
            int size = all.Channels * all.Height * all.Width;
            var kept = Enumerable.Range(0, labels.Length).Where(i => labels[i] < 5).ToArray();
            var keptPixels = new byte[kept.Length * size];
            for (int k = 0; k < kept.Length; k++) Array.Copy(pixels, kept[k] * size, keptPixels, k * size, size);
            return (keptPixels, kept.Select(i => labels[i]).ToArray());
        }
        var (train, test) = (Keep(all.TrainPixels.ToArray(), all.TrainLabels), Keep(all.TestPixels.ToArray(), all.TestLabels));
        return new RawImages(train.Pixels, train.Labels, test.Pixels, test.Labels, all.Channels, all.Height, all.Width, Classes: 5);
    }

    /// <summary>An MLP of `model.hidden` units over the data set's images, one output per class.</summary>
    public static nn.Module<Tensor, Tensor> TinyNet(ModelSettings m, int channels, int height, int width, int classes) =>
        nn.Sequential(nn.Flatten(), nn.Linear(channels * height * width, m.Hidden), nn.ReLU(), nn.Linear(m.Hidden, classes));

    static readonly Action<LoomAppBuilder> Registered = app =>
        app.Task<ImageClassificationTask>().Model("tinynet", TinyNet).Dataset("fashion_mnist_5", FirstFiveClasses);

    /// <summary>The same registration, with the builder noting what it was called with.</summary>
    static readonly Action<LoomAppBuilder> Recorded = app => app.Task<ImageClassificationTask>()
        .Model("tinynet", (m, channels, height, width, classes) =>
        {
            lock (Built) Built.Add((channels, height, width, classes, m.Hidden));
            return TinyNet(m, channels, height, width, classes);
        })
        .Dataset("fashion_mnist_5", FirstFiveClasses);

    string[] Train(params string[] overrides) =>
        ["train", "--conf", Conf, $"loom.outputs={Path.Combine(root, "outputs")}", "epochs=1", "data.limit=2000", "threads=1",
         "adaptive_threads=false", "progress=none", "loom.tensorboard.enabled=false", .. overrides];

    [Fact]
    public void AnAppTrainsTheReferenceTaskWithTheModelAndDataSetItRegistered()
    {
        torch.manual_seed(5);
        var (exit, errors) = RunApp(Recorded, Train("model.name=tinynet", "model.hidden=32", "data.name=fashion_mnist_5"));
        Assert.True(exit == 0, errors);

        lock (Built) Assert.Contains((1, 28, 28, 5, 32), Built); // the data set's shape and classes reached the model
        string folder = Directory.GetDirectories(Path.Combine(root, "outputs", "xps")).Single();
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        var epoch = Assert.Single(history)!;
        // Chance is 20 % on five classes; an epoch on 1,800 images of them gets well past it.
        double accuracy = epoch["test"]!["accuracy"]!.GetValue<double>();
        Assert.True(accuracy > 0.5, $"test accuracy {accuracy} after one epoch: the registered model did not learn the registered data");
        Assert.Contains("name: tinynet", File.ReadAllText(Path.Combine(folder, "config.yaml")));
    }

    [Fact]
    public void AnUnknownNameIsOneLineNamingTheRegisteredOnesAndTheClosest()
    {
        Assert.Equal((2, "model.name=tinynett: unknown model (expected one of cnn, mlp, attention, tinynet; did you mean tinynet?)"),
            Line(RunApp(Registered, Train("model.name=tinynett", "data.name=fashion_mnist_5"))));
        Assert.Equal((2, "data.name=fashion_mnist_6: unknown data set (expected one of fashion_mnist, mnist, cifar10, folder, csv, fashion_mnist_5; did you mean fashion_mnist_5?)"),
            Line(RunApp(Registered, Train("model.name=tinynet", "data.name=fashion_mnist_6"))));
        Assert.False(Directory.Exists(Path.Combine(root, "outputs", "xps")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, "outputs", "xps")).Any(),
            "a refused XP must leave nothing behind");
    }

    [Fact]
    public void WhatARegisteredReaderReturnsIsCheckedAsLoomsReadersCheckTheirFiles()
    {
        // Two 1×2×2 training images but one label 7 of 5 classes: refused in one line naming the data set (a data error, exit 1).
        Action<LoomAppBuilder> broken = app => app.Task<ImageClassificationTask>().Model("tinynet", TinyNet)
            .Dataset("broken", _ => new RawImages(new byte[8], [0, 7], new byte[4], [1], Channels: 1, Height: 2, Width: 2, Classes: 5));
        Assert.Equal((1, "data.name=broken: the reader's train split has label 7 at 1, expected one of 0..4"),
            Line(RunApp(broken, Train("model.name=tinynet", "data.name=broken"))));
        Action<LoomAppBuilder> cut = app => app.Task<ImageClassificationTask>().Model("tinynet", TinyNet)
            .Dataset("broken", _ => new RawImages(new byte[7], [0, 1], new byte[4], [1], Channels: 1, Height: 2, Width: 2, Classes: 5));
        Assert.Equal((1, "data.name=broken: the reader's train split has 7 pixel bytes for 2 labels of 1×2×2 images (expected 8)"),
            Line(RunApp(cut, Train("model.name=tinynet", "data.name=broken"))));
        Assert.False(Directory.Exists(Path.Combine(root, "outputs", "xps")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, "outputs", "xps")).Any(),
            "a data set refused while it is read must leave no XP folder");
    }

    [Fact]
    public void LoomsOwnNamesCannotBeTakenByAnApp()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelFactory.Register("cnn", (_, _, _, _, classes) => nn.Linear(1, classes)));
        Assert.StartsWith("model 'cnn' is one of Loom's own", e.Message);
        e = Assert.Throws<ArgumentException>(() => DataFactory.Register("cifar10", FirstFiveClasses));
        Assert.StartsWith("data set 'cifar10' is one of Loom's own", e.Message);
    }
}
