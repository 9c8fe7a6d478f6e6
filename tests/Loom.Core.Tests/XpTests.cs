using Loom.Config;
using Loom.Experiments;

namespace Loom.Core.Tests;

/// <summary>Delta, names, XP folder and `loom info` output, on fixtures and on the real conf/.</summary>
public class XpTests
{
    static IReadOnlyList<DeltaItem> DeltaOf(string conf, params string[] args) => Delta.Compute(ConfigComposer.Compose(conf, args));

    [Fact]
    public void GroupChoiceComesFirstThenSortedLeaves()
    {
        var conf = TestSupport.WriteFixture("basic");
        var delta = DeltaOf(conf, "seed=1", "optim.lr=0.01", "optim=adam", "epochs=9");
        // lr_copy (${optim.lr}) and name (run_${seed}) follow their sources: differences of the resolved config.
        Assert.Equal(["optim", "epochs", "lr_copy", "name", "optim.lr", "seed"], delta.Select(d => d.Key));
        Assert.Equal("adam", delta[0].Value);
        Assert.Equal(0.01, delta[4].Value);
        Assert.Equal("run_1", delta[3].Value);
    }

    [Fact]
    public void LeafDifferencesAreMeasuredAgainstTheChosenGroupOption()
    {
        var conf = TestSupport.WriteFixture("basic");
        // adam's own lr (1e-3) is not a difference once optim=adam is chosen; lr_copy follows it.
        Assert.Equal(["optim"], DeltaOf(conf, "optim=adam", "optim.lr=1e-3").Select(d => d.Key));
        Assert.Equal(["optim", "lr_copy", "optim.lr"], DeltaOf(conf, "optim=adam", "optim.lr=0.5").Select(d => d.Key));
    }

    [Theory]
    [InlineData("epochs=5.0")]
    [InlineData("epochs=5")]
    [InlineData("restart=0")]
    [InlineData("model.dropout=0")]
    public void PythonEqualValuesAreNotDifferences(string arg)
    {
        var conf = TestSupport.WriteFixture("basic");
        var xp = Xp.Create(conf, [arg]);
        Assert.Empty(xp.Delta);
        Assert.Equal("97d170e1", xp.Sig);
    }

    [Fact]
    public void ExcludePatternsComeFromLoomExclude()
    {
        var conf = TestSupport.WriteFixture("basic");
        Assert.Empty(DeltaOf(conf, "restart=true", "data.root=/elsewhere", "loom.outputs=/tmp/o"));
        Assert.Equal(["data.limit"], DeltaOf(conf, "restart=true", "data.limit=10").Select(d => d.Key));
        // Once loom.* is no longer excluded, loom.exclude itself is a difference.
        Assert.Equal(["data.root", "loom.exclude"], DeltaOf(conf, "loom.exclude=[restart]", "data.root=/x").Select(d => d.Key));
    }

    [Fact]
    public void AGroupOverrideEqualToTheDefaultIsADeltaEntryAsInDora()
    {
        // Dora's _get_base_config records every group override of the command line, as typed.
        var conf = TestSupport.WriteFixture("basic");
        var xp = Xp.Create(conf, ["optim=sgd"]);
        Assert.Equal([new DeltaItem("optim", "sgd")], xp.Delta);
        Assert.Equal(Signature.Compute([("optim", "sgd")]), xp.Sig);
        Assert.Equal("optim=sgd", xp.Name);
    }

    [Fact]
    public void AddedKeysEnterTheDeltaWholeAfterTheBaseKeysAndRemovedKeysAsTilde()
    {
        var conf = TestSupport.WriteFixture("basic");
        var delta = DeltaOf(conf, "+more={a: 1, b: {c: 2}}", "~data.limit", "++tag=x");
        // _compare_config: the base's keys first (sorted, recursed), then the added keys (sorted), whole.
        Assert.Equal(["~data.limit", "more", "tag"], delta.Select(d => d.Key));
        Assert.Equal("{\"a\": 1, \"b\": {\"c\": 2}}", PyJson.Dumps(delta[1].Value));
        Assert.NotEqual(Xp.Create(conf, ["~data.limit"]).Sig, Xp.Create(conf, ["data.limit=null"]).Sig);
    }

    [Fact]
    public void SignatureAndNameOfTheDesignExample()
    {
        var conf = TestSupport.WriteFixture("basic");
        var xp = Xp.Create(conf, ["model=mlp", "optim.lr=0.01"]);
        Assert.Equal([new DeltaItem("model", "mlp"), new DeltaItem("lr_copy", 0.01), new DeltaItem("optim.lr", 0.01)], xp.Delta);
        Assert.Equal(Signature.Compute([("model", "mlp"), ("lr_copy", 0.01), ("optim.lr", 0.01)]), xp.Sig);
        Assert.Equal("model=mlp lr_copy=0.01 opt.lr=0.01", xp.Name);
    }

    [Fact]
    public void NamesFollowDora()
    {
        Assert.Equal("opt.lr=0.01", XpName.For([("optim.lr", 0.01)]));
        Assert.Equal("mod.enc.layers=4", XpName.For([("model.encoder.layers", 4L)]));
        Assert.Equal("nesterov restart=False x=None", XpName.For([("nesterov", true), ("restart", false), ("x", null)]));
        Assert.Equal("a.bet=[0.9, 'x']", XpName.For([("a.bet", new List<object?> { 0.9, "x" })]));
        Assert.Equal("lr=1e-05", XpName.For([("lr", 1e-05)]));
        Assert.Equal("", XpName.For([]));
    }

    [Fact]
    public void GridNamesFactorTheSharedParts()
    {
        var (baseName, names) = XpName.ForGrid([
            [("model", "cnn"), ("optim.lr", 0.1), ("epochs", 2L)],
            [("model", "cnn"), ("optim.lr", 0.01), ("epochs", 2.0)],
        ]);
        Assert.Equal("model=cnn epochs=2", baseName);
        Assert.Equal(["opt.lr=0.1", "opt.lr=0.01"], names);
        var (onlyBase, single) = XpName.ForGrid([[("a", 1L)]]);
        Assert.Equal("a=1", onlyBase);
        Assert.Equal([""], single);
    }

    [Fact]
    public void WriteDefinitionWritesConfigAndArgvThatReloadToTheSameXp()
    {
        var conf = TestSupport.WriteFixture("basic");
        string outputs = Path.Combine(conf, "out");
        var xp = Xp.Create(conf, ["optim.lr=0.01", "+note='café 😀'"], outputs);
        Assert.Equal(Path.Combine(outputs, "xps", xp.Sig), xp.Folder);
        Assert.False(Directory.Exists(xp.Folder)); // nothing on disk before WriteDefinition
        xp.WriteDefinition();
        Assert.Equal("[\"optim.lr=0.01\", \"+note='caf\\u00e9 \\ud83d\\ude00'\"]", File.ReadAllText(Path.Combine(xp.Folder, ".argv.json")));
        var reloadedConfig = YamlLoader.LoadFile(Path.Combine(xp.Folder, "config.yaml"));
        Assert.True(TestSupport.StrictEquals(xp.Config, reloadedConfig));

        var again = Xp.FromFolder(conf, outputs, xp.Sig);
        Assert.Equal(xp.Sig, again.Sig);
        Assert.Equal(xp.Argv, again.Argv);
        var e = Assert.Throws<ConfigException>(() => Xp.FromFolder(conf, outputs, "deadbeef"));
        Assert.Contains("no XP with signature 'deadbeef'", e.Message);
    }

    [Fact]
    public void OutputsFolderComesFromLoomOutputsRelativeToTheCurrentDirectory()
    {
        var conf = TestSupport.WriteFixture("basic");
        Assert.Equal(Path.GetFullPath("outputs"), Path.GetDirectoryName(Path.GetDirectoryName(Xp.Create(conf, []).Folder)));
        Assert.StartsWith("/tmp/abs-out/xps/", Xp.Create(conf, ["loom.outputs=/tmp/abs-out"]).Folder);
    }

    [Fact]
    public void DescriptionJsonHasTheFiveKeys()
    {
        var conf = TestSupport.WriteFixture("basic");
        var xp = Xp.Create(conf, ["optim.lr=0.01"], "/tmp/o");
        using var doc = System.Text.Json.JsonDocument.Parse(XpDescription.Json(xp));
        Assert.Equal(["sig", "name", "delta", "folder", "config"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(xp.Sig, doc.RootElement.GetProperty("sig").GetString());
        Assert.Contains(doc.RootElement.GetProperty("delta").EnumerateArray(), p => p[0].GetString() == "optim.lr" && p[1].GetDouble() == 0.01);
        Assert.Equal(0.01, doc.RootElement.GetProperty("config").GetProperty("optim").GetProperty("lr").GetDouble());
        string text = XpDescription.Text(xp);
        Assert.Contains($"sig:    {xp.Sig}", text);
        Assert.Contains("  optim.lr: 0.01", text);
        Assert.Contains("    lr: 0.01", text);
    }

    [Fact]
    public void RealConfComposesWithItsDefaults()
    {
        var xp = Xp.Create(TestSupport.RealConf, []);
        Assert.Empty(xp.Delta);
        Assert.Equal("cnn", xp.Config.Get<string>("model.name"));
        Assert.Equal(0.1, xp.Config.Get<double>("optim.lr"));
        Assert.Equal(["model", "optim", "data", "schedule"], xp.GroupChoices.Select(c => c.Key));
    }

    [Fact]
    public void RealConfDeltaAndExcludes()
    {
        var xp = Xp.Create(TestSupport.RealConf, ["model=resnet18", "optim=adam", "optim.lr=1e-3", "epochs=2", "device=cuda", "threads=8", "restart=true"]);
        Assert.Equal([new DeltaItem("model", "resnet18"), new DeltaItem("optim", "adam"), new DeltaItem("epochs", 2L)], xp.Delta);
        Assert.Equal("model=resnet18 optim=adam epochs=2", xp.Name);
        var e = Assert.Throws<ConfigException>(() => Xp.Create(TestSupport.RealConf, ["optim.lrr=0.1"]));
        Assert.Contains("did you mean optim.lr?", e.Message);
        var g = Assert.Throws<ConfigException>(() => Xp.Create(TestSupport.RealConf, ["model=vit"]));
        Assert.Contains("(options: attention, cnn, mlp, mobilenet_v2, resnet18)", g.Message);
    }
}
