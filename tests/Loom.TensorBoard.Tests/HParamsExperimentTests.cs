using System.Text.Json.Nodes;
using Loom.TensorBoard;

namespace Loom.TensorBoard.Tests;

public class HParamsExperimentTests
{
    [Fact]
    public void TheGridFolderLinksEveryXpAndDescribesTheirHyperParameters()
    {
        using var tmp = new TempFolder();
        var sessions = new[]
        {
            Session(tmp, "aaaa1111", ("model", "cnn"), ("optim.lr", 0.1), ("model.batch_norm", true)),
            Session(tmp, "bbbb2222", ("model", "mlp"), ("optim.lr", 0.01)),
            Session(tmp, "cccc3333", ("model", "mlp"), ("optim.lr", 0.1), ("model.batch_norm", false), ("seed", 2L)),
        };
        string grid = tmp.Sub("grids/lecture/tensorboard");
        string file = HParamsExperiment.Write(grid, sessions, ["train/loss", "valid/accuracy", "test/accuracy"], "lecture");

        foreach (var s in sessions) Assert.Equal(s.LogDir, new DirectoryInfo(Path.Combine(grid, s.Name)).LinkTarget);
        var records = IndependentReader.Records(grid);
        Assert.Equal([file], Directory.GetFiles(grid));
        Assert.Equal(2, records.Count);
        var experiment = records[1];
        Assert.Equal(HParamsMessages.ExperimentTag, (string?)experiment["tag"]);
        Assert.Equal(0L, (long)experiment["step"]!);
        var x = experiment["hparams"]!;
        Assert.Equal("lecture", (string?)x["name"]);
        var infos = x["hparam_infos"]!.AsArray().ToDictionary(h => (string)h!["name"]!, h => h!.AsObject());
        Assert.Equal(["model", "model.batch_norm", "optim.lr", "seed"], infos.Keys.Order());
        Assert.Equal("DATA_TYPE_STRING", (string?)infos["model"]["type"]);
        Assert.Equal(["cnn", "mlp"], Values<string>(infos["model"]["discrete"]));
        Assert.Equal("DATA_TYPE_FLOAT64", (string?)infos["optim.lr"]["type"]);
        Assert.Equal([0.01, 0.1], Values<double>(infos["optim.lr"]["discrete"]));
        Assert.Equal("DATA_TYPE_BOOL", (string?)infos["model.batch_norm"]["type"]);
        Assert.Equal([false, true], Values<bool>(infos["model.batch_norm"]["discrete"]));
        Assert.True((bool)infos["model"]["differs"]!);
        Assert.False((bool)infos["seed"]["differs"]!);
        Assert.Equal(["train/loss:DATASET_TRAINING", "valid/accuracy:DATASET_VALIDATION", "test/accuracy:DATASET_UNKNOWN"],
            x["metric_infos"]!.AsArray().Select(m => $"{m!["tag"]}:{m["dataset_type"]}"));
        Assert.All(x["metric_infos"]!.AsArray(), m => Assert.Equal("", (string?)m!["group"]));
    }

    [Fact]
    public void ManyDistinctNumbersMakeAnInterval()
    {
        var domain = HParamDomain.Of("optim.lr", Enumerable.Range(1, HParamDomain.MaxDiscreteNumbers + 1).Select(i => (object?)(i / 1000.0)));
        Assert.Null(domain.Discrete);
        Assert.Equal((0.001, 0.017), (domain.Min, domain.Max));
        var mixed = HParamDomain.Of("x", [1L, "a", null]);
        Assert.Equal(HParamsMessages.DataType.String, mixed.Type);
        Assert.Equal(["1", "a", "null"], mixed.Discrete!.Select(v => v.StringValue));
    }

    [Fact]
    public void WritingAgainFollowsTheGridAndKeepsOneSummary()
    {
        using var tmp = new TempFolder();
        string grid = tmp.Sub("grid");
        var a = Session(tmp, "aaaa1111", ("optim.lr", 0.1));
        var b = Session(tmp, "bbbb2222", ("optim.lr", 0.01));
        HParamsExperiment.Write(grid, [a, b], ["valid/accuracy"]);
        Thread.Sleep(10);
        string second = HParamsExperiment.Write(grid, [a], ["valid/accuracy"]);

        Assert.Equal([second], Directory.GetFiles(grid));
        Assert.Equal(["aaaa1111"], Directory.GetDirectories(grid).Select(Path.GetFileName));
        var info = IndependentReader.Records(grid)[1]["hparams"]!["hparam_infos"]![0]!;
        Assert.Equal([0.1], Values<double>(info["discrete"]));
    }

    [Fact]
    public void BadSessionNamesAreRefusedBeforeAnythingIsWritten()
    {
        using var tmp = new TempFolder();
        string grid = tmp.Sub("grid");
        var e = Assert.Throws<ArgumentException>(() => HParamsExperiment.Write(grid, [Session(tmp, "../x")], []));
        Assert.Contains("'../x'", e.Message);
        e = Assert.Throws<ArgumentException>(() => HParamsExperiment.Write(grid, [Session(tmp, "a"), Session(tmp, "a")], []));
        Assert.Contains("given twice", e.Message);
        Assert.False(Directory.Exists(grid));

        Directory.CreateDirectory(Path.Combine(grid, "real"));
        e = Assert.Throws<ArgumentException>(() => HParamsExperiment.Write(grid, [Session(tmp, "real")], []));
        Assert.Contains("is not a link", e.Message);
        Assert.True(Directory.Exists(Path.Combine(grid, "real")));
    }

    static HParamsSession Session(TempFolder tmp, string name, params (string Key, object? Value)[] hparams)
    {
        string logDir = tmp.Sub($"xps/{name.Replace('/', '_')}/tensorboard");
        Directory.CreateDirectory(logDir);
        return new HParamsSession(name, logDir, hparams.ToDictionary(h => h.Key, h => h.Value));
    }

    static List<T> Values<T>(JsonNode? array) => array!.AsArray().Select(v => v!.GetValue<T>()).ToList();
}
