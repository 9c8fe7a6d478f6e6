using Loom.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>
/// Two training-mode forwards of a BatchNorm1d, each rank on its shard of the same batches, then
/// <see cref="DataParallel.SynchronizeBuffers"/>. Every rank prints its running statistics.
/// </summary>
static class BuffersScenario
{
    public static int Run(string[] args)
    {
        var process = DistributedEnvironment.Detect();
        int rank = process.Rank, world = process.WorldSize;
        manual_seed(3);
        using var batches = randn(2, 12, 6) * 2 + 1;
        var norm = nn.BatchNorm1d(6);
        norm.train();
        using var dataParallel = new DataParallel(process);
        dataParallel.Attach(norm, norm.parameters().ToList());
        using (no_grad())
            for (int i = 0; i < 2; i++)
            {
                using var rows = arange(rank, 12, world, dtype: ScalarType.Int64);
                using var shard = batches[i][rows];
                norm.call(shard).Dispose();
            }
        dataParallel.SynchronizeBuffers();
        foreach (var (name, buffer) in norm.named_buffers())
        {
            using var values = buffer.to_type(ScalarType.Float64);
            Console.WriteLine($"rank {rank} {name}: {string.Join(",", values.data<double>().ToArray().Select(v => v.ToString("R")))}");
        }
        process.Collectives?.Dispose();
        return 0;
    }
}
