using System.Globalization;
using Loom.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>
/// K optimizer steps of a small MLP on a fixed synthetic data set, the global batch B split over the ranks
/// (rank r takes rows r, r+W, ... of each batch, as DistributedSampler), with A micro-batches accumulated per
/// step. Each rank starts from different weights (seed 1 + rank): the broadcast from rank 0 must make them
/// equal. Rank 0 writes the final parameters (float32, little-endian) to the output file.
/// Arguments: optimizer (sgd|adam) steps batch accumulate output [divided]; "divided": each rank divides its
/// loss by W and DataParallel only sums (<see cref="DataParallel.LossDividedByWorldSize"/>).
/// </summary>
static class TrainScenario
{
    public static int Run(string[] args)
    {
        string optimizerName = args[0];
        int steps = int.Parse(args[1], CultureInfo.InvariantCulture), batch = int.Parse(args[2], CultureInfo.InvariantCulture);
        int accumulate = int.Parse(args[3], CultureInfo.InvariantCulture);
        string output = args[4];
        bool divided = args.Length > 5 && args[5] == "divided";

        var process = DistributedEnvironment.Detect();
        int rank = process.Rank, world = process.WorldSize;
        if (batch % world != 0) throw new ArgumentException($"batch {batch} is not divisible by {world} ranks");

        manual_seed(7);
        int samples = steps * accumulate * batch;
        using var inputs = randn(samples, 20);
        using var labels = randint(10, samples);

        manual_seed(1 + rank);
        // "mismatch": the last rank builds a wider model, as with another config.
        int hidden = optimizerName == "mismatch" && rank == world - 1 ? 33 : 32;
        var model = nn.Sequential(nn.Linear(20, hidden), nn.ReLU(), nn.Linear(hidden, 10));
        var parameters = model.parameters().ToList();
        using var dataParallel = new DataParallel(process) { LossDividedByWorldSize = divided };
        try
        {
            dataParallel.Attach(model, parameters);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine(e.Message);
            process.End(1);
        }
        optim.Optimizer optimizer = optimizerName switch
        {
            "sgd" => new Loom.Optim.Sgd(parameters, lr: 0.1, momentum: 0.9),
            "adam" or "mismatch" => optim.Adam(parameters, lr: 1e-2),
            _ => throw new ArgumentException($"optimizer {optimizerName}"),
        };

        for (int step = 0; step < steps; step++)
        {
            optimizer.zero_grad();
            for (int micro = 0; micro < accumulate; micro++)
            {
                using var scope = NewDisposeScope();
                long start = (long)(step * accumulate + micro) * batch;
                var rows = arange(start + rank, start + batch, world, dtype: ScalarType.Int64);
                var loss = nn.functional.cross_entropy(model.call(inputs[rows]), labels[rows]);
                int divisor = accumulate * (divided ? world : 1);
                (divisor == 1 ? loss : loss / divisor).backward();
            }
            dataParallel.AverageGradients();
            optimizer.step();
        }

        int reattached = dataParallel.Gradients?.Reattach() ?? 0;
        Console.WriteLine($"rank {rank} reattached: {reattached}");
        if (rank == 0)
        {
            using var flat = cat(parameters.Select(p => p.detach().flatten()).ToList());
            File.WriteAllBytes(output, flat.bytes.ToArray());
        }
        process.Collectives?.Dispose();
        return 0;
    }
}
