using System.Text.Json.Nodes;
using Loom.Experiments;
using Loom.Logging;
using Loom.Training;
using LoomApp1;

namespace Loom.App.Tests;

/// <summary>
/// The template's own task (`dotnet new loom-app`), used as a library user would, without the command line: the
/// trainer directly (its `LoadData` logs through `Context`, which the trainer attaches) and the run type
/// <see cref="XpRun"/> on the template's conf, which composes the XP and trains it as `loom train` does.
/// </summary>
[Collection(InProcessApp.Collection)]
public sealed class TemplateTaskTests : IDisposable
{
    static readonly string Conf = Path.Combine(Shell.RepoRoot, "templates", "loom-app", "conf");
    readonly string root = Directory.CreateTempSubdirectory("loom-template-task-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static CharLmSettings Small => new()
    {
        Data = new TextSettings { Limit = 3000, SeqLen = 16 },
        Model = new TransformerSettings { Dim = 16, Heads = 2, Layers = 1 },
    };

    [Fact]
    public void TheTrainerAttachesTheContextTheTemplatesTaskUses()
    {
        var log = new StringWriter();
        var task = new CharLmTask().WithSettings(Small);
        var report = new Trainer((CharLmTask)task, new TrainerOptions
        {
            XpFolder = root, Train = new TrainSettings { Epochs = 1, BatchSize = 32, Progress = "none", Threads = 1 },
            Optim = new OptimSettings { Name = "adamw", Lr = 3e-3 }, Sink = new LogSink(log, colors: false),
        }).Run();
        Assert.Equal(1, report.Epochs);
        Assert.Contains("vocabulary of", log.ToString()); // the task's own line, through Context.Log
        Assert.Equal(root, ((CharLmTask)task).Context.XpFolder);
    }

    [Fact]
    public void AnXpRunTrainsThePreparedXpAsLoomTrainDoes()
    {
        string[] argv = ["epochs=1", "data.limit=3000", "data.seq_len=16", "model.dim=16", "model.heads=2", "model.layers=1",
            "threads=1", "adaptive_threads=false", "progress=none"];
        var prepared = PreparedXp.Prepare(Xp.Create(Conf, argv, Path.Combine(root, "outputs")), () => new CharLmTask());
        var report = new XpRun(prepared).Run();

        Assert.NotNull(report);
        Assert.Equal("valid.loss", report.Monitor);
        string folder = prepared.Xp.Folder;
        var history = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "history.json")))!.AsArray();
        Assert.Equal(["loss", "accuracy", "perplexity"], history[0]!["valid"]!.AsObject().Select(kv => kv.Key));
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.last")));
        Assert.Same(prepared.Xp, ((CharLmTask)prepared.Task).Context.Xp);
        Assert.True(Directory.Exists(Path.Combine(folder, "tensorboard")), "the run type writes TensorBoard events as loom train does");
    }
}
