namespace Loom.Distributed;

/// <summary>
/// What the environment says about this process before MPI starts: its rank, the number of ranks and who
/// launched it ("mpirun", "srun" or "none": a plain process).
/// </summary>
public sealed record LaunchInfo(int Rank, int WorldSize, string Launcher);
