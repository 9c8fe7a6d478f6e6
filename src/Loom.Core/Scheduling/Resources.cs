namespace Loom.Scheduling;

/// <summary>
/// What one job asks of the scheduler (Dora's `slurm` settings, kept to the ones both backends use).
/// The local scheduler counts <see cref="Cpus"/> (null: the XP's `threads`) against the cores; memory and time are
/// recorded for Slurm. Null means "the backend's default".
/// </summary>
public sealed record Resources(int? Cpus = null, int? MemoryGb = null, int? TimeMinutes = null, int Tasks = 1)
{
    /// <summary>These resources with the given (non-null) fields replaced, as launcher.Slurm does.</summary>
    public Resources With(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null) =>
        new(cpus ?? Cpus, memoryGb ?? MemoryGb, timeMinutes ?? TimeMinutes, tasks ?? Tasks);
}
