using System.Runtime.InteropServices;
using Loom.Experiments;

namespace Loom.Scheduling.Slurm;

/// <summary>
/// Names the hosts a multi-host Slurm step lost, in Loom's own log. When a node stops answering (its link is down,
/// its slurmd died), slurmctld marks it DOWN and ends the job: the ranks left on the other hosts get SIGTERM (then
/// SIGKILL after KillWait) while they wait in an all-reduce that will never complete, or while they train on (a dead
/// slurmd leaves its step running). MPI cannot say which peer is gone; Slurm can. So rank 0 traps SIGTERM, asks
/// `sinfo` for the states of the hosts in `ranks.json`, and logs one line naming each lost host and its ranks.
/// </summary>
public static class SlurmLostHosts
{
    const int SIGTERM = 15;

    /// <summary>A Slurm node state (sinfo's `%T`) of a host that is gone: down, failing, or not responding (`*`).</summary>
    public static bool IsLost(string state) =>
        state.EndsWith('*') || state.StartsWith("down", StringComparison.Ordinal) || state.StartsWith("fail", StringComparison.Ordinal);

    /// <summary>
    /// The line for the ranks in <paramref name="places"/> given `sinfo -h -N -o "%N %T"` output; null when no host
    /// of the ranks is lost (a scancel, a time limit: nothing to name).
    /// </summary>
    public static string? Describe(IReadOnlyList<RankPlace> places, string sinfoOutput)
    {
        var states = sinfoOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 2)
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        var lost = places.GroupBy(p => p.Host).Where(g => states.TryGetValue(g.Key, out var s) && IsLost(s)).ToList();
        if (lost.Count == 0) return null;
        int hosts = places.Select(p => p.Host).Distinct().Count();
        string named = string.Join("; ", lost.Select(g =>
            $"{g.Key} (Slurm: {states[g.Key]}) with rank{(g.Count() == 1 ? "" : "s")} {string.Join(", ", g.Select(p => $"{p.Rank} (pid {p.Pid})"))}"));
        return $"Slurm is ending this step (SIGTERM): lost host {named}, of the {hosts} hosts in ranks.json; " +
               "a requeued job resumes from the last checkpoint";
    }

    /// <summary>Asks Slurm for the states of the ranks' hosts (at most <paramref name="timeout"/>) and describes the lost ones.</summary>
    public static string? Ask(IReadOnlyList<RankPlace> places, SlurmCommands commands, TimeSpan timeout)
    {
        var hosts = string.Join(',', places.Select(p => p.Host).Distinct());
        var query = Task.Run(() => commands.Run("sinfo", ["-h", "-N", "-n", hosts, "-o", "%N %T"], check: false));
        // SIGKILL follows SIGTERM after KillWait (30 s by default): never spend it all waiting on slurmctld.
        if (!query.Wait(timeout) || query.Result.Code != 0) return null;
        return Describe(places, query.Result.Out);
    }

    /// <summary>
    /// Rank 0 of a Slurm step whose ranks sit on several hosts: on SIGTERM, writes <see cref="Ask"/>'s line with
    /// <paramref name="log"/> (the default action, ending the process, follows). Null elsewhere.
    /// </summary>
    public static IDisposable? Watch(IReadOnlyList<RankPlace> places, Action<string> log)
    {
        if (Environment.GetEnvironmentVariable("SLURM_JOB_ID") is not { Length: > 0 }) return null;
        if (places.Select(p => p.Host).Distinct().Count() < 2) return null;
        return PosixSignalRegistration.Create((PosixSignal)SIGTERM, _ =>
        {
            try
            {
                if (Ask(places, new SlurmCommands(), TimeSpan.FromSeconds(3)) is { } line) log(line);
            }
            catch (Exception e) when (e is SlurmException or IOException or InvalidOperationException or AggregateException)
            {
                // No line is better than a handler that keeps the process from ending.
            }
        });
    }
}
