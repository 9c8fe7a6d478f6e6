using System.Diagnostics;

namespace Loom.TestSupport;

/// <summary>Shared by the suites that start real `loom` schedulers (compiled into each, not a project of its own).</summary>
public static class SchedulerDaemons
{
    /// <summary>SIGKILLs the local scheduler daemon of <paramref name="outputs"/> (found by its command line), if still there.</summary>
    public static void Kill(string outputs)
    {
        foreach (var p in Process.GetProcesses())
        {
            try
            {
                var cmdline = File.ReadAllText($"/proc/{p.Id}/cmdline");
                if (cmdline.Contains("\0scheduler\0") && cmdline.Contains(outputs)) p.Kill();
            }
            catch (Exception) { } // gone, or not ours to read
        }
    }

    /// <summary>The repository root: the folder above the test binaries that holds Loom.slnx.</summary>
    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Loom.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root (Loom.slnx) not found");
    }
}
