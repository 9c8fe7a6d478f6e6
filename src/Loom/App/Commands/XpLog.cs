using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.App.Commands;

/// <summary>
/// An XP's log for `info -l/-t`: the worker's job.log when the scheduler ran it (it also holds crashes), else
/// the trainer's train.log (a `loom train` or `loom run` in the foreground).
/// </summary>
public static class XpLog
{
    public static string PathOf(Xp xp)
    {
        string job = SchedulerPaths.WorkerLog(xp.Folder);
        return File.Exists(job) ? job : Path.Combine(xp.Folder, "train.log");
    }

    public static void Print(Xp xp)
    {
        string path = PathOf(xp);
        if (!File.Exists(path)) throw new UsageException($"{xp.Sig} has no log yet ({path})");
        using var stdout = Console.OpenStandardOutput();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.CopyTo(stdout);
    }

    /// <summary>Prints the log and what is appended to it, until the XP's job ends (or Ctrl-C).</summary>
    public static void Follow(Xp xp, string outputsRoot)
    {
        using var scheduler = CommandContext.Scheduler(outputsRoot, "local"); // the log file is the same for every scheduler
        using var stdout = Console.OpenStandardOutput();
        long offset = 0;
        while (true)
        {
            bool active = scheduler.Latest([xp.Sig]).GetValueOrDefault(xp.Sig)?.State.IsActive() == true;
            string path = PathOf(xp);
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (file.Length < offset) offset = 0; // the XP was restarted and its log truncated
                file.Position = offset;
                file.CopyTo(stdout);
                offset = file.Position;
                stdout.Flush();
            }
            if (!active) return; // read once more after the end, then stop
            Thread.Sleep(500);
        }
    }
}
