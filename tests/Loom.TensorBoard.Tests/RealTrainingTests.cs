using System.Text.Json.Nodes;
using Loom.Data;
using Loom.Distributed;
using Loom.Experiments;
using Loom.Nn;
using Loom.Reporting;
using Loom.Reporting.TensorBoard;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.TensorBoard.Tests;

/// <summary>
/// A short real training on Fashion-MNIST (2,000 images, a small CNN, 2 epochs, then a resumed third) with a
/// loop of the test's own that calls the callback in the trainer's documented order; the event files are read
/// by the independent reader and compared with history.json.
/// </summary>
public class RealTrainingTests
{
    const int BatchSize = 50, EveryN = 7;

    [Fact]
    public void EventFilesAgreeWithHistoryJsonAcrossAResume()
    {
        using var tmp = new TempFolder();
        torch.set_num_threads(1);
        torch.manual_seed(0);
        using var data = FashionMnist.Load(FashionMnist.DefaultRoot, validFraction: 0.1, limit: 2000);
        var model = new SmallCnn(1, 28, 28, 10, channels: 4, hidden: 16);
        var parameters = model.parameters().ToList();
        var optimizer = optim.SGD(parameters, 0.05);
        double before = Now();

        Fit(tmp.Path, model, parameters, optimizer, data, new History(), epochs: 2);
        Fit(tmp.Path, model, parameters, optimizer, data, History.Load(tmp.Path), epochs: 3); // resumes at epoch 3
        double after = Now();

        var history = History.Load(tmp.Path);
        Assert.Equal(3, history.Count);
        var records = IndependentReader.Records(Path.Combine(tmp.Path, TensorBoardOptions.FolderName));
        var scalars = records.Where(r => r["value"] is not null).ToList();
        foreach (var (entry, epoch) in history.Epochs.Select((e, i) => (e, i + 1)))
            foreach (var (tag, value) in EpochScalars.Of(entry))
            {
                var matches = scalars.Where(r => (string?)r["tag"] == tag && (long)r["step"]! == epoch).ToList();
                Assert.True(matches.Count == 1, $"{tag} at epoch {epoch}: {matches.Count} points");
                var point = matches[0];
                Assert.Equal((float)value, (float)(double)point["value"]!);
            }
        Assert.Equal(10, EpochScalars.Of(history.Epochs[0]).Count()); // loss and accuracy of train, valid, test; lr, duration, samples/s, extra/nested/value
        int steps = data.Train.BatchCount(BatchSize);
        Assert.Equal(Enumerable.Range(1, 3 * steps / EveryN).Select(i => (long)i * EveryN),
            scalars.Where(r => (string?)r["tag"] == XpEventLog.LossTag).Select(r => (long)r["step"]!));
        Assert.All(scalars.Where(r => (string?)r["tag"] == XpEventLog.LrTag), r => Assert.Equal(0.05f, (float)(double)r["value"]!));
        Assert.Single(records, r => (string?)r["tag"] == HParamsMessages.SessionStartTag);
        Assert.Equal("STATUS_SUCCESS", (string?)records[^1]["hparams"]!["status"]);
        Assert.All(records, r => Assert.InRange((double)r["wall_time"]!, before, after));
    }

    static void Fit(string xp, SmallCnn model, IReadOnlyList<TorchSharp.Modules.Parameter> parameters, optim.Optimizer optimizer,
        DataSplits data, History history, int epochs)
    {
        var callback = new TensorBoardCallback(new TensorBoardOptions(EveryNSteps: EveryN), new Dictionary<string, object?> { ["model"] = "cnn" });
        int steps = data.Train.BatchCount(BatchSize);
        callback.FitStarted(new FitStart(xp, model, parameters, ProcessContext.Single, history.Count, epochs, steps, history));
        for (int epoch = history.Count + 1; epoch <= epochs; epoch++)
        {
            model.train();
            double lossSum = 0, correct = 0;
            int step = 0;
            foreach (var (images, labels) in data.Train.ShuffledBatches(BatchSize, 0, epoch))
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var output = model.forward(images);
                var loss = nn.functional.cross_entropy(output, labels);
                loss.backward();
                optimizer.step();
                step++;
                double l = loss.item<float>();
                lossSum += l * labels.shape[0];
                correct += output.argmax(1).eq(labels).sum().item<long>();
                callback.StepEnded(new StepEnd(epoch, step, steps, (long)(epoch - 1) * steps + step, l, 0.05, (int)labels.shape[0]));
            }
            var entry = new JsonObject
            {
                ["epoch"] = epoch,
                ["train"] = new JsonObject { ["loss"] = lossSum / data.Train.Count, ["accuracy"] = correct / data.Train.Count },
                ["valid"] = Evaluate(model, data.Valid!),
                ["test"] = Evaluate(model, data.Test),
                ["lr"] = 0.05,
                ["duration"] = 1.5,
                ["samples_per_second"] = 1000.0,
                ["extra"] = new JsonObject { ["nested"] = new JsonObject { ["value"] = epoch * 1.25 } },
            };
            history.Add(entry);
            history.Save(xp);
            callback.EpochEnded(new EpochEnd(epoch, entry, false, history));
        }
        callback.FitEnded(new FitEnd(history, null));
    }

    static JsonObject Evaluate(SmallCnn model, InMemoryDataset set)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var output = model.forward(set.Images);
        return new JsonObject
        {
            ["loss"] = nn.functional.cross_entropy(output, set.Labels).item<float>(),
            ["accuracy"] = output.argmax(1).eq(set.Labels).sum().item<long>() / (double)set.Count,
        };
    }

    static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
}
