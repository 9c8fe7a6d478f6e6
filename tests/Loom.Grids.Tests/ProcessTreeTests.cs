using System.Diagnostics;
using Loom.Scheduling;

namespace Loom.Grids.Tests;

/// <summary>Detached start and whole-tree kill, on shell processes.</summary>
public sealed class ProcessTreeTests
{
    [Fact]
    public void KillTakesTheWholeProcessGroupAndRespectsTheStartTime()
    {
        string log = Path.Combine(Path.GetTempPath(), $"loom-tree-{Guid.NewGuid():N}.log");
        // The leader starts two children and waits; its output goes to the log, not to us.
        using var leader = ProcessTree.StartDetached(["sh", "-c", "sleep 300 & sleep 300 & echo started; wait"], log);
        Cli.WaitFor(() => File.Exists(log) && File.ReadAllText(log).Contains("started"), "the children", 10);
        int pid = leader.Id;
        long? start = ProcessTree.StartTime(pid);
        var children = Children(pid);
        Assert.Equal(2, children.Count);
        Assert.Equal(pid, ProcessGroup(pid)); // setsid: the leader's pid is the group id

        ProcessTree.Kill([(pid, start + 1)], TimeSpan.FromSeconds(1)); // another start time: a recycled pid, left alone
        Assert.True(ProcessTree.IsAlive(pid, start));

        ProcessTree.Kill([(pid, start)], TimeSpan.FromSeconds(2));
        Cli.WaitFor(() => !ProcessTree.IsAlive(pid, start) && children.All(c => ProcessTree.StartTime(c) is null), "the tree to die", 10);
        File.Delete(log);
    }

    static List<int> Children(int parent) => Directory.GetDirectories("/proc").Select(Path.GetFileName)
        .Where(d => int.TryParse(d, out _)).Select(int.Parse!)
        .Where(p => { try { return Field(p, 1) == parent; } catch (IOException) { return false; } }).ToList();

    static int ProcessGroup(int pid) => Field(pid, 2);

    // Fields after "pid (comm) state": 1 = ppid, 2 = pgrp.
    static int Field(int pid, int index)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[index]);
    }
}
