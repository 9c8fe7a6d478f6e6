namespace Loom.Distributed;

/// <summary>A data-parallel run cannot start or continue (no MPI, a rank died): one line for the user, exit 1.</summary>
public class DistributedException(string message) : Exception(message);
