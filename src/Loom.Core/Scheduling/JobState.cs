namespace Loom.Scheduling;

/// <summary>The life of a job, with Slurm's names (so that the Slurm backend maps its states one to one).</summary>
public enum JobState { Pending, Running, Completed, Failed, Cancelled, Timeout }

public static class JobStates
{
    public static bool IsActive(this JobState s) => s is JobState.Pending or JobState.Running;

    /// <summary>Slurm's spelling, also what the store keeps: PENDING, RUNNING, ...</summary>
    public static string Name(this JobState s) => s.ToString().ToUpperInvariant();

    /// <summary>The table's 3-letter column, as Dora prints it.</summary>
    public static string Short(this JobState s) => s.Name()[..3];

    public static JobState Parse(string name) => Enum.Parse<JobState>(name, ignoreCase: true);
}
