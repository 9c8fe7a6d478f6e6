using Loom.Distributed;

namespace Loom.Distributed.Ranks;

/// <summary>Starts MPI collectives directly: outside mpirun this must fail with one line.</summary>
static class StartScenario
{
    public static int Run()
    {
        using var c = MpiCollectives.Start();
        Console.WriteLine($"rank {c.Rank} of {c.WorldSize}");
        return 0;
    }
}
