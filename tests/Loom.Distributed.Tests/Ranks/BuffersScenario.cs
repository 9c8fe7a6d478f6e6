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
        // What the documented approximation must give, computed here without DataParallel: the running variance
        // updated (momentum 0.1, from 1) with the mean over ranks of each rank's unbiased shard variance.
        using (no_grad())
        {
            var expected = ones(6, dtype: ScalarType.Float64);
            for (int i = 0; i < 2; i++)
            {
                var shardVariances = Enumerable.Range(0, world).Select(r =>
                {
                    using var rows = arange(r, 12, world, dtype: ScalarType.Int64);
                    return batches[i][rows].to_type(ScalarType.Float64).var(0, unbiased: true);
                }).ToList();
                expected = 0.9 * expected + 0.1 * stack(shardVariances).mean([0]);
            }
            Console.WriteLine($"rank {rank} expected_running_var: {string.Join(",", expected.data<double>().ToArray().Select(v => v.ToString("R")))}");
        }
        process.Collectives?.Dispose();
        return 0;
    }
}
