using Loom.Distributed;
using Loom.Data;
using Loom.Experiments;
using Loom.IO;
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
        var optimSettings = new OptimSettings { Name = "sgd", Lr = 0.1 }.WithOptions(new SgdOptions { Momentum = 0.9 });
        var model = ModelFactory.Create(settings, 1, 28, 28, 10);
        var optimizer = OptimizerFactory.Create(optimSettings, model.parameters());
        Step(model, optimizer);
        var history = new History();
        history.Add(new System.Text.Json.Nodes.JsonObject { ["epoch"] = 1 });
        string file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "checkpoint");
        SectionFile.Write(file, TrainingSnapshot.Sections(model, optimizer, history, "a: 1"));
        Step(model, optimizer);
        var expected = model.parameters().Select(p => p.detach().clone()).ToList();

        manual_seed(99); // a different RNG and fresh weights: the snapshot must override both
        var restoredModel = ModelFactory.Create(settings, 1, 28, 28, 10);
        var restoredOptimizer = OptimizerFactory.Create(optimSettings, restoredModel.parameters());
        var (restoredHistory, _) = TrainingSnapshot.Restore(SectionFile.Read(file), restoredModel, restoredOptimizer, "test");
        Step(restoredModel, restoredOptimizer);

        Assert.Equal(1, restoredHistory.Count);
        foreach (var (a, b) in expected.Zip(restoredModel.parameters()))
            Assert.True(a.eq(b).all().item<bool>(), "parameters differ after restore + one step (momentum buffer or RNG not restored?)");
    }

    [Fact]
    public void ShuffledBatchesDependOnlyOnSeedAndEpochAndCoverEverySample()
    {
        long[][] Epoch(int epoch, int batch = 32) => new EpochSampler(100, batch, seed: 5, ProcessContext.Single).Epoch(epoch)
            .Select(b => b.Indices!.data<long>().ToArray()).ToArray();
        var first = Epoch(1).SelectMany(b => b).ToArray();
        Assert.Equal(first, Epoch(1).SelectMany(b => b));
        Assert.NotEqual(first, Epoch(2).SelectMany(b => b));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), first.Order());
        Assert.Equal([32, 32, 32, 4], Epoch(1).Select(b => b.Length));
    }

    sealed class NoCollectives(int rank, int world) : ICollectives
    {
        public int Rank => rank;
        public int WorldSize => world;
        public void Broadcast(Tensor tensor, int root = 0) => throw new NotSupportedException();
        public void AllReduceSum(Tensor tensor) => throw new NotSupportedException();
        public void AllReduceSum(Span<double> values) => throw new NotSupportedException();
        public void Barrier() { }
        public void Dispose() { }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void RanksSplitEveryGlobalBatchAndAgreeOnTheBatchCount(int world)
    {
        // 103 samples, batch 30: the last global batch holds 13 — uneven across ranks.
        var single = new EpochSampler(103, 30, 5, ProcessContext.Single).Epoch(3).Select(b => b.Indices!.data<long>().ToArray()).ToList();
        var ranks = Enumerable.Range(0, world).Select(r => new EpochSampler(103, 30, 5, new ProcessContext(r, world, new NoCollectives(r, world)))
            .Epoch(3).Select(b => (Indices: b.Indices?.data<long>().ToArray() ?? [], b.GlobalSize)).ToList()).ToList();
        Assert.All(ranks, r => Assert.Equal(single.Count, r.Count));
        for (int k = 0; k < single.Count; k++)
        {
            Assert.Equal(single[k].Order(), ranks.SelectMany(r => r[k].Indices).Order());
            Assert.All(ranks, r => Assert.Equal(single[k].Length, r[k].GlobalSize));
        }
    }
}
