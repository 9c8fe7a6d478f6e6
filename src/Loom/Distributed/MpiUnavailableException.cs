namespace Loom.Distributed;

/// <summary>
/// Data parallel cannot start in this process: Open MPI's library is missing, or the process was not
/// started by a launcher (<c>mpirun</c>, <c>srun --mpi=pmix</c>). The message is one line that says what to
/// install or do; the CLI prints it and exits with status 1.
/// </summary>
public sealed class MpiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
