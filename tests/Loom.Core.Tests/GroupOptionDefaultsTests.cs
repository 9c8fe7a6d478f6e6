using Loom.Config;
using Loom.Experiments;

namespace Loom.Core.Tests;

/// <summary>A group option's `- override /GROUP: OPTION` (Hydra's): it changes the other group's default, the command
/// line still wins, the delta holds only what the command line said, and any other entry is refused naming the file.</summary>
public sealed class GroupOptionDefaultsTests : IDisposable
{
    readonly string conf = Directory.CreateTempSubdirectory("loom-god-").FullName;
    public void Dispose() => Directory.Delete(conf, recursive: true);

    void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(conf, path))!);
        File.WriteAllText(Path.Combine(conf, path), text);
    }

    public GroupOptionDefaultsTests()
    {
        Write("config.yaml", "defaults:\n  - model: cnn\n  - data: images\n  - _self_\nepochs: 5\n");
        Write("model/cnn.yaml", "name: cnn\n");
        Write("model/mlp.yaml", "name: mlp\n");
        Write("data/images.yaml", "name: images\n");
        Write("data/table.yaml", "defaults:\n  - override /model: mlp\nname: table\n");
    }

    [Fact]
    public void AnOptionOverridesAnotherGroupsDefaultUnlessTheCommandLineChooses()
    {
        var table = ConfigComposer.Compose(conf, ["data=table"]);
        Assert.Equal("mlp", table.Config.Get<string>("model.name"));
        Assert.False(table.Config.Has("data.defaults"));
        Assert.Equal(["data=table"], Delta.Compute(table).Select(d => $"{d.Key}={d.Value}"));

        var chosen = ConfigComposer.Compose(conf, ["data=table", "model=cnn"]);
        Assert.Equal("cnn", chosen.Config.Get<string>("model.name"));
        Assert.Equal("cnn", ConfigComposer.Compose(conf, []).Config.Get<string>("model.name")); // the other option keeps the default
    }

    [Fact]
    public void AnyOtherEntryOrAnUnknownOptionIsRefusedNamingTheFile()
    {
        Write("data/table.yaml", "defaults:\n  - model: mlp\nname: table\n");
        var other = Assert.Throws<ConfigException>(() => ConfigComposer.Compose(conf, ["data=table"]));
        Assert.Contains("table.yaml: a defaults list in a group option is not supported beyond `- override /GROUP: OPTION`", other.Message);
        Write("data/table.yaml", "defaults:\n  - override /model: rnn\nname: table\n");
        var unknown = Assert.Throws<ConfigException>(() => ConfigComposer.Compose(conf, ["data=table"]));
        Assert.Contains("override /model: rnn: unknown option (options: cnn, mlp)", unknown.Message);
    }
}
