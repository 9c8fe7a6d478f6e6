using Loom.Distributed;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>
/// All-reduces a gradient-sized buffer until killed (a training job's steady state). "throw-before R": rank R
/// fails before the first collective, as with a bad data file. "error-after R": rank R fails after joining,
/// prints its error and ends with ProcessContext.End(1), as the CLI does.
/// </summary>
static class SpinScenario
{
    public static int Run(string[] args)
    {
        var launch = DistributedEnvironment.Read();
        if (args.Length == 2 && args[0] == "throw-before" && launch.Rank == int.Parse(args[1]))
            throw new InvalidDataException($"rank {launch.Rank}: bad data file");
        var process = DistributedEnvironment.Detect();
        var c = process.Collectives!;
        using var buffer = zeros(1 << 18);
        c.AllReduceSum(buffer);
        Console.WriteLine($"rank {process.Rank} pid {Environment.ProcessId} ready");
        if (args.Length == 2 && args[0] == "error-after" && process.Rank == int.Parse(args[1]))
        {
            Console.Error.WriteLine($"rank {process.Rank}: step failed");
            process.End(1);
        }
        while (true)
        {
            c.AllReduceSum(buffer);
            Thread.Sleep(1);
        }
    }
}
