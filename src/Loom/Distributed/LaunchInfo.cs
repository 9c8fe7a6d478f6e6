namespace Loom.Distributed;

/// <summary>What the environment says about this process before MPI starts: its rank, the number of ranks and who launched it.</summary>
/// <param name="Launcher">"mpirun", "srun" or "none" (a plain process).</param>
public sealed record LaunchInfo(int Rank, int WorldSize, string Launcher);
