using Loom.Data;
using Loom.Experiments;
using Loom.Nn;
using Loom.Optim;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Tests.Unit;

public sealed class SnapshotTests
{
    static void Step(nn.Module<Tensor, Tensor> model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var scope = NewDisposeScope();
        var x = randn(8, 1, 28, 28);
        var y = randint(0, 10, [8]);
        optimizer.zero_grad();
        nn.functional.cross_entropy(model.forward(x), y).backward();
        optimizer.step();
    }

    [Fact]
    public void RestoredModelOptimizerAndRngContinueIdentically()
    {
        manual_seed(3);
        var settings = new ModelSettings { Name = "cnn", Channels = 4, Hidden = 16, Dropout = 0.5 };
        var optimSettings = new OptimSettings { Name = "sgd", Lr = 0.1, Momentum = 0.9 };
        var model = ModelFactory.Create(settings, 1, 28, 28, 10);
        var optimizer = OptimizerFactory.Create(optimSettings, model.parameters());
        Step(model, optimizer);
        var history = new History();
        history.Add(new System.Text.Json.Nodes.JsonObject { ["epoch"] = 1 });
        var sections = TrainingSnapshot.Capture(model, optimizer, history, "a: 1");
        Step(model, optimizer);
        var expected = model.parameters().Select(p => p.detach().clone()).ToList();

        manual_seed(99); // a different RNG and fresh weights: the snapshot must override both
        var restoredModel = ModelFactory.Create(settings, 1, 28, 28, 10);
        var restoredOptimizer = OptimizerFactory.Create(optimSettings, restoredModel.parameters());
        var (restoredHistory, _) = TrainingSnapshot.Restore(sections.ToDictionary(s => s.Name, s => s.Bytes), restoredModel, restoredOptimizer, "test");
        Step(restoredModel, restoredOptimizer);

        Assert.Equal(1, restoredHistory.Count);
        foreach (var (a, b) in expected.Zip(restoredModel.parameters()))
            Assert.True(a.eq(b).all().item<bool>(), "parameters differ after restore + one step (momentum buffer or RNG not restored?)");
    }

    [Fact]
    public void ShuffledBatchesDependOnlyOnSeedAndEpochAndCoverEverySample()
    {
        using var dataset = new InMemoryDataset(arange(100, dtype: ScalarType.Float32).reshape(100, 1, 1, 1), arange(100, dtype: ScalarType.Int64));
        long[] Epoch(int epoch) => dataset.ShuffledBatches(32, seed: 5, epoch).SelectMany(b => b.Labels.data<long>().ToArray()).ToArray();
        var first = Epoch(1);
        Assert.Equal(first, Epoch(1));
        Assert.NotEqual(first, Epoch(2));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), first.Order());
        Assert.Equal([32, 32, 32, 4], dataset.ShuffledBatches(32, 5, 1).Select(b => (int)b.Labels.shape[0]));
    }
}
