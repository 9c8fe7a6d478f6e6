using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// `loom scheduler --outputs DIR` (hidden): the local scheduler daemon, started on demand by the commands
/// that submit or look at jobs; it exits by itself once its queue has been empty for a while.
/// </summary>
public static class SchedulerCommand
{
    public static int Run(LoomAppDefinition app, string outputs)
    {
        var root = Path.GetFullPath(outputs);
        var worker = CommandContext.SelfCommand().Concat(["run", "--outputs", root]).ToList();
        bool ran = new SchedulerDaemon(new SchedulerPaths(root), worker).Run();
        Console.WriteLine(ran ? $"{DateTime.Now:s} scheduler {Environment.ProcessId}: queue empty, exiting"
                              : $"{DateTime.Now:s} scheduler {Environment.ProcessId}: another scheduler is running");
        return 0;
    }
}
