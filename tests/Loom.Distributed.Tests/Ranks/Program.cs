using Loom.Distributed;
using Loom.Distributed.Ranks;
using TorchSharp;

// One rank of a distributed test. Prints what it observed; the tests compare it with what it should be.
torch.set_num_threads(1);
try
{
    return args[0] switch
    {
        "collectives" => CollectivesScenario.Run(),
        "train" => TrainScenario.Run(args[1..]),
        "buffers" => BuffersScenario.Run(args[1..]),
        "steps" => StepsScenario.Run(args[1..]),
        "spin" => SpinScenario.Run(args[1..]),
        "start" => StartScenario.Run(),
        var other => throw new ArgumentException($"unknown scenario {other}"),
    };
}
catch (MpiUnavailableException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
