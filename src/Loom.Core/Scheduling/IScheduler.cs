namespace Loom.Scheduling;

/// <summary>
/// The contract between grids and a backend (local processes, Slurm). Kept small on purpose:
/// submit, look up, cancel. State lives with the backend and survives the `loom` process that submitted.
/// </summary>
public interface IScheduler : IDisposable
{
    /// <summary>
    /// Submits the XPs that have no active (pending or running) job, in one transaction; for an XP that
    /// already has one (e.g. another `loom` command submitted it a moment ago) returns that job instead:
    /// an XP never has two active jobs.
    /// </summary>
    IReadOnlyList<JobInfo> Submit(IReadOnlyList<JobRequest> requests);

    /// <summary>The latest job of each signature that ever had one (states refreshed: dead workers are FAILED).</summary>
    IReadOnlyDictionary<string, JobInfo> Latest(IEnumerable<string> sigs);

    /// <summary>Cancels jobs: pending ones never start, running ones have their whole process tree killed.</summary>
    void Cancel(IEnumerable<string> jobIds);
}
