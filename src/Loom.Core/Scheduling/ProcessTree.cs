using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Loom.Scheduling;

/// <summary>
/// Starting detached processes and killing them with everything they spawned. A process is named by its pid
/// and its start time (field 22 of /proc/PID/stat), so that a recycled pid is never mistaken for a worker.
/// </summary>
public static class ProcessTree
{
    const int SIGTERM = 15, SIGKILL = 9;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    /// <summary>
    /// Starts <paramref name="command"/> in a new session (`setsid`: its own process group, no controlling
    /// terminal, so closing the terminal or killing the caller does not touch it), stdin from /dev/null,
    /// stdout and stderr appended to <paramref name="log"/>. `exec` keeps one pid from sh to the program, so
    /// the returned process is the program itself and its pid is also its process group id.
    /// </summary>
    public static Process StartDetached(IReadOnlyList<string> command, string log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(log))!);
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=\"$1\"; shift; exec setsid \"$@\" </dev/null >>\"$log\" 2>&1");
        psi.ArgumentList.Add("sh");
        psi.ArgumentList.Add(log);
        foreach (var arg in command) psi.ArgumentList.Add(arg);
        return Process.Start(psi) ?? throw new InvalidOperationException($"could not start {command[0]}");
    }

    /// <summary>The start time of a live process in clock ticks since boot; null when it does not exist (or is a zombie).</summary>
    public static long? StartTime(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // Fields after the command name, which is in parentheses and may itself hold spaces or ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] == "Z") return null;
        return long.Parse(fields[19]); // field 22 of the whole line
    }

    public static bool IsAlive(int pid, long? startTime) => StartTime(pid) is long t && (startTime is null || t == startTime);

    /// <summary>
    /// Kills the process group led by each of <paramref name="processes"/> (a worker and every child it made): SIGTERM,
    /// then SIGKILL for whatever still lives after <paramref name="grace"/>. Skips a pid that was recycled (its start
    /// time differs).
    /// </summary>
    public static void Kill(IEnumerable<(int Pid, long? Start)> processes, TimeSpan grace)
    {
        var targets = processes.Where(p => IsAlive(p.Pid, p.Start)).ToList();
        foreach (var (pid, _) in targets) { kill(-pid, SIGTERM); kill(pid, SIGTERM); }
        var deadline = DateTime.UtcNow + grace;
        while (targets.Any(t => IsAlive(t.Pid, t.Start)) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        // The group may outlive its leader (a child still running): SIGKILL the group whatever the leader did.
        foreach (var (pid, start) in targets) { kill(-pid, SIGKILL); if (IsAlive(pid, start)) kill(pid, SIGKILL); }
    }
}
