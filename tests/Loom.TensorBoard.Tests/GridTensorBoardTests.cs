using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

public class GridTensorBoardTests
{
    [Fact]
    public void AGridFolderListsItsXpsWithTheirDeltaAndTheirHistoryMetrics()
    {
        using var tmp = new TempFolder();
        string conf = tmp.Sub("conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "config.yaml"), "optim:\n  lr: 0.1\nseed: 0\nloom:\n  outputs: ./outputs\n  exclude: [loom.*]\n  tensorboard:\n    enabled: true\n    every_n_steps: 50\n");
        string outputs = tmp.Sub("outputs");
        var xps = new[] { Xp.Create(conf, ["optim.lr=0.01"], outputs), Xp.Create(conf, ["seed=1", "loom.tensorboard.every_n_steps=5"], outputs) };
        Directory.CreateDirectory(xps[0].Folder);
        new History([new JsonObject { ["epoch"] = 1, ["valid"] = new JsonObject { ["accuracy"] = 0.8 } }]).Save(xps[0].Folder);

        string folder = GridTensorBoard.Write(outputs, "lecture", xps);

        Assert.Equal(Path.Combine(outputs, "grids", "lecture", "tensorboard"), folder);
        // Links to XPs that have not run yet dangle until they do (TensorBoard skips them meanwhile).
        Assert.Equal(xps.Select(x => x.Sig).Order(),
            new DirectoryInfo(folder).EnumerateFileSystemInfos().Where(i => i.LinkTarget is not null).Select(i => i.Name).Order());
        Assert.Equal(Path.Combine(xps[1].Folder, "tensorboard"), new DirectoryInfo(Path.Combine(folder, xps[1].Sig)).LinkTarget);
        var x = IndependentReader.Records(folder)[1]["hparams"]!;
        Assert.Equal("lecture", (string?)x["name"]);
        Assert.Equal(["optim.lr", "seed"], x["hparam_infos"]!.AsArray().Select(h => (string)h!["name"]!)); // loom.* is no hyper-parameter
        Assert.Equal(["valid/accuracy"], x["metric_infos"]!.AsArray().Select(m => (string)m!["tag"]!));
    }
}
