using Loom.Config;

namespace Loom.Core.Tests;

/// <summary>Typed access, binding, YAML round trip, multirun expansion.</summary>
public class ConfigApiTests
{
    public sealed record Optim(string Name, double Lr, double WeightDecay = 0.0, bool Nesterov = false);
    public sealed class Model { public string Name { get; init; } = ""; public int Channels { get; set; } public List<double>? Sizes { get; set; } }
    public enum Device { Cpu, Cuda }
    public sealed record Run(int Epochs, Device Device, Optim Optim, int? Limit);

    static ConfigNode Load(string yaml) => YamlLoader.Load(yaml, "test.yaml");

    [Fact]
    public void BindsSnakeCaseKeysOntoRecordsAndClasses()
    {
        var c = Load("optim: {name: sgd, lr: 1, weight_decay: 1e-3}\nmodel: {name: cnn, channels: 32, sizes: [1, 2.5]}\nepochs: 3\ndevice: cuda\nlimit: null\n");
        var optim = c.Bind<Optim>("optim");
        Assert.Equal(new Optim("sgd", 1.0, 0.001, false), optim);
        var model = c.Bind<Model>("model");
        Assert.Equal(32, model.Channels);
        Assert.Equal([1.0, 2.5], model.Sizes);
        var run = c.Bind<Run>();
        Assert.Equal(Device.Cuda, run.Device);
        Assert.Null(run.Limit);
        Assert.Equal(3, run.Epochs);
    }

    [Theory]
    [InlineData("optim: {name: sgd, lr: fast}", "optim", "key 'optim.lr': value 'fast' is not a float")]
    [InlineData("optim: {name: 3, lr: 0.1}", "optim", "key 'optim.name': value 3 is not a string")]
    [InlineData("optim: {name: sgd}", "optim", "missing key 'optim.lr' (expected float for Optim)")]
    [InlineData("optim: {name: sgd, lr: 0.1, nesterov: 1}", "optim", "key 'optim.nesterov': value 1 is not a bool")]
    [InlineData("optim: 5", "optim", "key 'optim': value 5 is not an Optim")]
    [InlineData("optim: {name: sgd, lr: 0.1}", "optimizer", "missing section 'optimizer'")]
    [InlineData("optim: {name: sgd, lr: 0.1, unknown_key: 5}", "optim", "key 'optim.unknown_key' is not a setting of optim")]
    public void BindErrorsNameKeyValueAndType(string yaml, string section, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => Load(yaml).Bind<Optim>(section));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void GetConvertsOrExplains()
    {
        var c = Load("a: {b: 2, f: 2.5, s: x, l: [1, 2]}\n");
        Assert.Equal(2, c.Get<int>("a.b"));
        Assert.Equal(2.0, c.Get<double>("a.b"));
        Assert.Equal([1L, 2L], c.Get<long[]>("a.l"));
        Assert.True(c.Has("a.s"));
        Assert.False(c.Has("a.zz"));
        Assert.False(c.TryGet<int>("a.f", out _));
        Assert.True(c.TryGet<string>("a.s", out var s) && s == "x");
        Assert.Contains("key 'a.f': value 2.5 is not an int", Assert.Throws<ConfigException>(() => c.Get<int>("a.f")).Message);
        Assert.Contains("missing key 'a.q'", Assert.Throws<ConfigException>(() => c.Get<int>("a.q")).Message);
    }

    [Fact]
    public void YamlRoundTripKeepsTypesAndOrder()
    {
        var c = Load("z: 1\na: '1'\nb: 1.0\nc: 1e-05\nd: 'true'\ne: null\nf: 'null'\ng: [1, '2', x]\nh: {nested: -0.0, inf: .inf}\ni: ''\nj: 'a: b'\nk: ' pad'\nl: {}\nm: []\nn: [{x: 1}]\n");
        string yaml = c.ToYaml();
        var back = Load(yaml);
        Assert.True(TestSupport.StrictEquals(c, back), yaml);
        Assert.StartsWith("z: 1\na: \"1\"\nb: 1.0\nc: 1e-05\n", yaml);
    }

    [Fact]
    public void DeepCloneIsIndependent()
    {
        var c = Load("a: {b: [1, {c: 2}]}\n");
        var copy = c.DeepClone();
        ((ConfigNode)((List<object?>)copy.Get<ConfigNode>("a")["b"]!)[1]!)["c"] = 3L;
        Assert.Equal(2L, c.Get<long>("a.b.1.c"));
        Assert.Equal(3L, copy.Get<long>("a.b.1.c"));
    }

    [Fact]
    public void MultirunExpandsTheCartesianProductFirstOverrideSlowest()
    {
        var runs = Multirun.Expand(["optim.lr=0.1,0.01", "model=cnn,mlp", "epochs=2"]);
        Assert.Equal(4, runs.Count);
        Assert.Equal(["optim.lr=0.1", "model=cnn", "epochs=2"], runs[0]);
        Assert.Equal(["optim.lr=0.1", "model=mlp", "epochs=2"], runs[1]);
        Assert.Equal(["optim.lr=0.01", "model=mlp", "epochs=2"], runs[3]);
    }

    [Fact]
    public void MultirunDoesNotSplitInsideBracketsQuotesOrInterpolations()
    {
        var runs = Multirun.Expand(["tags=[1,2],[3]", "+d={a: 1, b: 2}", "name='a,b'", "x=${env:A,b}", "+y=1, 2 ,3"]);
        Assert.Equal(6, runs.Count);
        Assert.Equal(["tags=[1,2]", "+d={a: 1, b: 2}", "name='a,b'", "x=${env:A,b}", "+y=1"], runs[0]);
        Assert.Equal(["tags=[3]", "+d={a: 1, b: 2}", "name='a,b'", "x=${env:A,b}", "+y=3"], runs[5]);
        Assert.Single(Multirun.Expand([]));
        Assert.Contains("unclosed '['", Assert.Throws<ConfigException>(() => Multirun.Expand(["a=[1,2"])).Message);
    }

    [Theory]
    [InlineData("optim.lr", "optim.lrr", true)]
    [InlineData("epochs", "epoch", true)]
    [InlineData("seed", "something_else", false)]
    public void SuggestionsUseEditDistance(string existing, string typo, bool suggested) =>
        Assert.Equal(suggested, EditDistance.Closest(typo, [existing, "unrelated.long.key"]).Contains(existing));

    [Theory]
    [InlineData("data.root", "data.*", true)]
    [InlineData("loom.outputs", "loom.*", true)]
    [InlineData("restart", "restart", true)]
    [InlineData("restarts", "restart", false)]
    [InlineData("a.b", "a?b", true)]
    [InlineData("x1", "x[0-9]", true)]
    [InlineData("xa", "x[!a]", false)]
    public void FnmatchMatchesLikePython(string name, string pattern, bool expected) =>
        Assert.Equal(expected, Loom.Experiments.Fnmatch.Matches(name, pattern));
}
