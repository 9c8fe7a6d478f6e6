using Loom.Data;
using Loom.Experiments;
using Loom.Logging;
using Loom.Nn;
using Loom.TensorBoard;
using Loom.Training;
using Loom.Vision;
using TorchSharp;

namespace Loom.TensorBoard.Tests;

/// <summary>
/// A short real training through Loom's trainer (Fashion-MNIST, 2,000 images, a small CNN, 2 epochs, then a
/// resumed third) with the TensorBoard callback; the event files are read by the independent reader and
/// compared with history.json.
/// </summary>
public class RealTrainingTests
{
    const int BatchSize = 50, EveryN = 7;

    static Trainer NewTrainer(string folder, int epochs)
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
        var task = new ImageClassificationTask().WithSettings(new ImageClassificationSettings
        {
            Model = new ModelSettings { Name = "cnn", Channels = 4, Hidden = 16 },
            Data = new DataSettings { Limit = 2000, ValidFraction = 0.1 },
        });
        var callback = new TensorBoardCallback(new TensorBoardOptions(EveryNSteps: EveryN), new Dictionary<string, object?> { ["model"] = "cnn" });
        return new Trainer((ImageClassificationTask)task, new TrainerOptions
        {
            XpFolder = folder, Train = new TrainSettings { Epochs = epochs, BatchSize = BatchSize, Progress = "none", Threads = 1 },
            Optim = new OptimSettings { Lr = 0.05 }, Sink = new LogSink(new StringWriter(), colors: false), Callbacks = [callback],
        });
    }

    [Fact]
    public void EventFilesAgreeWithHistoryJsonAcrossAResume()
    {
        using var tmp = new TempFolder();
        double before = Now();
        NewTrainer(tmp.Path, 2).Run();
        var resumed = NewTrainer(tmp.Path, 3).Run();
        double after = Now();
        Assert.Equal(2, resumed.ResumedFromEpoch);

        var history = History.Load(tmp.Path);
        Assert.Equal(3, history.Count);
        var records = IndependentReader.Records(Path.Combine(tmp.Path, TensorBoardOptions.FolderName));
        var scalars = records.Where(r => r["value"] is not null).ToList();
        foreach (var (entry, epoch) in history.Epochs.Select((e, i) => (e, i + 1)))
            foreach (var (tag, value) in EpochScalars.Of(entry))
            {
                var matches = scalars.Where(r => (string?)r["tag"] == tag && (long)r["step"]! == epoch).ToList();
                Assert.True(matches.Count == 1, $"{tag} at epoch {epoch}: {matches.Count} points");
                Assert.Equal((float)value, (float)(double)matches[0]["value"]!);
            }
        Assert.Equal(9, EpochScalars.Of(history.Epochs[0]).Count()); // loss and accuracy of train, valid, test; lr, duration, samples/s
        int steps = (1800 + BatchSize - 1) / BatchSize;
        Assert.Equal(Enumerable.Range(1, 3 * steps / EveryN).Select(i => (long)i * EveryN),
            scalars.Where(r => (string?)r["tag"] == XpEventLog.LossTag).Select(r => (long)r["step"]!));
        Assert.All(scalars.Where(r => (string?)r["tag"] == XpEventLog.LrTag), r => Assert.Equal(0.05f, (float)(double)r["value"]!));
        Assert.Single(records, r => (string?)r["tag"] == HParamsMessages.SessionStartTag);
        Assert.Equal("STATUS_SUCCESS", (string?)records[^1]["hparams"]!["status"]);
        Assert.All(records, r => Assert.InRange((double)r["wall_time"]!, before, after));
    }

    static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
}
