namespace Loom.Distributed;

/// <summary>
/// Where this process stands in a (possibly data-parallel) run: its rank, the number of ranks, and the
/// collectives that join them. One process alone is rank 0 of 1, with no collectives. The trainer
/// receives it, so tasks never change when ranks are added: only rank 0 writes history, checkpoints and
/// logs to the console.
/// </summary>
public sealed class ProcessContext
{
    public ProcessContext(int rank, int worldSize, ICollectives? collectives)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of {worldSize}");
        if (worldSize > 1 && collectives is null)
            throw new ArgumentException("several ranks need collectives", nameof(collectives));
        Rank = rank;
        WorldSize = worldSize;
        Collectives = collectives;
    }

    /// <summary>One process, no peers.</summary>
    public static ProcessContext Single { get; } = new(0, 1, null);

    public int Rank { get; }
    public int WorldSize { get; }
    public bool IsMain => Rank == 0;
    public bool IsDistributed => WorldSize > 1;

    /// <summary>Null for a single process.</summary>
    public ICollectives? Collectives { get; }
}
