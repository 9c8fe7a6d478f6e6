using Loom.Distributed;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>
/// All-reduces a gradient-sized buffer until killed (a training job's steady state). "throw-before R": rank R
/// fails before the first collective, as with a bad data file.
/// </summary>
static class SpinScenario
{
    public static int Run(string[] args)
    {
        var launch = DistributedEnvironment.Read();
        if (args.Length == 2 && args[0] == "throw-before" && launch.Rank == int.Parse(args[1]))
            throw new InvalidDataException($"rank {launch.Rank}: bad data file");
        var process = DistributedEnvironment.Detect();
        using var c = process.Collectives!;
        using var buffer = zeros(1 << 18);
        c.AllReduceSum(buffer);
        Console.WriteLine($"rank {process.Rank} pid {Environment.ProcessId} ready");
        while (true)
        {
            c.AllReduceSum(buffer);
            Thread.Sleep(1);
        }
    }
}
