namespace Loom.Scheduling.Slurm;

/// <summary>A Slurm command failed or Slurm is unreachable; the message is one line naming the command and its error.</summary>
public sealed class SlurmException(string message) : Exception(message);
