using Loom.Config;

namespace Loom.Core.Tests;

/// <summary>Sections bound to settings records are closed (OmegaConf's struct mode); the root stays open.</summary>
public class ClosedSectionTests
{
    public sealed record Sgd(string Name, double Lr, double Momentum = 0.0, double[]? Betas = null);
    public sealed record Root { public long Seed { get; init; } public int Epochs { get; init; } }
    public sealed record WithOptim(int Epochs, Sgd Optim);
    [OpenSection] public sealed record Loose(string Name, Sgd? Inner = null);
    public sealed class Props { public int Channels { get; set; } public int Twice => Channels * 2; }

    static ConfigNode Compose(params string[] args) => ConfigComposer.Compose(TestSupport.WriteFixture("basic"), args).Config;

    [Fact]
    public void ATypoAddedToASectionIsRefusedWithTheClosestSetting()
    {
        var config = Compose("+optim.momentun=0.9");
        var e = Assert.Throws<ConfigException>(() => config.Bind<Sgd>("optim"));
        Assert.Equal("key 'optim.momentun' is not a setting of optim (did you mean optim.momentum?)", e.Message);
    }

    [Fact]
    public void ADeclaredSettingBinds()
    {
        Assert.Equal(0.9, Compose("optim.momentum=0.9").Bind<Sgd>("optim").Momentum);
        Assert.Equal(0.5, Compose("++optim.momentum=0.5").Bind<Sgd>("optim").Momentum);
        var betas = Compose().Bind<Sgd>("optim").Betas;
        Assert.NotNull(betas);
        Assert.Equal([0.9, 0.999], betas);
    }

    [Fact]
    public void AnUnrelatedKeyGetsNoSuggestion()
    {
        var e = Assert.Throws<ConfigException>(() => Compose("+optim.zzzzzzzzzz=1").Bind<Sgd>("optim"));
        Assert.Equal("key 'optim.zzzzzzzzzz' is not a setting of optim", e.Message);
    }

    [Fact]
    public void TheRootStaysOpenForKeysAddedWithPlus()
    {
        var config = Compose("+my_flag=true", "seed=7");
        Assert.Equal(7, config.Bind<Root>().Seed); // model, optim, data, my_flag ... are other consumers' keys
        Assert.True(config.Get<bool>("my_flag")); // a task may read a key added at the root
    }

    [Fact]
    public void RecordsBoundThroughTheRootAreClosed()
    {
        var config = YamlLoader.Load("epochs: 3\nextra_root: 1\noptim: {name: sgd, lr: 0.1, momentun: 0.9}\n", "test.yaml");
        var e = Assert.Throws<ConfigException>(() => config.Bind<WithOptim>());
        Assert.Equal("key 'optim.momentun' is not a setting of optim (did you mean optim.momentum?)", e.Message);
    }

    [Fact]
    public void AnOpenSectionIgnoresUndeclaredKeysButItsNestedRecordsStayClosed()
    {
        var config = YamlLoader.Load("x: {name: a, other: 1, inner: {name: b, lr: 1, lr2: 2}}\n", "test.yaml");
        var e = Assert.Throws<ConfigException>(() => config.Bind<Loose>("x"));
        Assert.StartsWith("key 'x.inner.lr2' is not a setting of x.inner (did you mean x.inner.lr", e.Message);
        var ok = YamlLoader.Load("x: {name: a, other: 1}\n", "test.yaml").Bind<Loose>("x");
        Assert.Equal("a", ok.Name);
    }

    [Fact]
    public void ClassesDeclareTheirSettableProperties()
    {
        var config = YamlLoader.Load("m: {channels: 4, twice: 8}\n", "test.yaml");
        Assert.Equal("key 'm.twice' is not a setting of m", Assert.Throws<ConfigException>(() => config.Bind<Props>("m")).Message);
        Assert.Equal(4, YamlLoader.Load("m: {channels: 4}\n", "test.yaml").Bind<Props>("m").Channels);
    }

    [Fact]
    public void DictionariesAndRawMappingsTakeEveryKey()
    {
        var config = YamlLoader.Load("w: {a: 1.5, b_c: 2}\n", "test.yaml");
        Assert.Equal(2.0, config.Bind<Dictionary<string, double>>("w")["b_c"]);
        Assert.Equal(2, config.Bind<ConfigNode>("w").Count);
    }

    [Fact]
    public void GetOfASectionIsClosedToo()
    {
        var config = Compose("+optim.momentun=0.9");
        Assert.Contains("is not a setting of optim", Assert.Throws<ConfigException>(() => config.Get<Sgd>("optim")).Message);
    }

    [Fact] // found by FuzzTests: two keys naming one member threw ArgumentException from a dictionary
    public void TwoKeysNamingOneSettingAreRefusedInOneLine()
    {
        var e = Assert.Throws<ConfigException>(() => Compose("+optim.Lr=0.5").Bind<Sgd>("optim"));
        Assert.Equal("keys 'optim.lr' and 'optim.Lr' name the same setting: keep one", e.Message);
        var root = YamlLoader.Load("epochs: 1\nseed: 2\na_b: 1\naB: 2\n", "test.yaml"); // undeclared in the open root: left alone
        Assert.Equal(2, root.Bind<Root>().Seed);
    }
}
