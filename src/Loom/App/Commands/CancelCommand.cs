using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>`loom cancel -f SIG`: cancels the XP's pending or running job (killing its process tree).</summary>
public static class CancelCommand
{
    public static int Run(string confDir, string sig, string? outputsOption)
    {
        string outputs = CommandContext.OutputsRoot(confDir, outputsOption);
        using var scheduler = CommandContext.Scheduler(outputs, confDir: confDir);
        var job = scheduler.Latest([sig]).GetValueOrDefault(sig);
        if (job is null) throw new UsageException($"no job was ever submitted for {sig} in {outputs}");
        if (!job.State.IsActive())
        {
            Console.WriteLine($"{sig}: job {job.JobId} is already {job.State.Name()}; nothing to cancel");
            return 0;
        }
        scheduler.Cancel([job.JobId]);
        Console.WriteLine($"{sig}: cancelled job {job.JobId} (was {job.State.Name()})");
        return 0;
    }
}
