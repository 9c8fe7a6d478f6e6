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

    /// <summary>
    /// Ends this process's part in the job; call it last, on every path out. With <paramref name="exitCode"/> 0 it
    /// shuts MPI down normally (MPI_Finalize: every rank must get there). Otherwise (an error on this rank: print
    /// it first) it exits the process at once with that code, without MPI_Finalize, and does not return: the
    /// other ranks may be waiting in a collective this one will never join, and MPI_Finalize would wait for them
    /// forever. mpirun then kills the other ranks and reports this rank's exit code. (MPI_Abort would end the job
    /// too, but it kills the ranks before mpirun has forwarded their last output, and the error line was lost
    /// in tests.) Does nothing for one process.
    /// </summary>
    public void End(int exitCode)
    {
        if (Collectives is null) return;
        if (exitCode == 0)
        {
            Collectives.Dispose();
            return;
        }
        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(exitCode);
    }
}
