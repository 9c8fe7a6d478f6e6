using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// The XPs a grid's explore method adds, in order, each kept once: a second launch of the same signature is
/// ignored, as in Dora. Composing a config costs about a millisecond, so, like Dora's `herd.complete()`,
/// launches are only recorded and composed together in parallel at the end (<see cref="Complete"/>); with
/// <c>eager</c> each launch composes at once, which is how an error is traced to its launcher call.
/// </summary>
public sealed class Herd(Func<IReadOnlyList<string>, Xp> compose, bool eager = false)
{
    readonly List<(IReadOnlyList<string> Argv, Resources Resources)> launches = [];
    readonly List<GridXp> xps = [];
    readonly HashSet<string> sigs = [];

    public void Add(IReadOnlyList<string> argv, Resources resources)
    {
        if (eager) Keep(compose(argv), resources); else launches.Add((argv, resources));
    }

    /// <summary>The grid's XPs, in launch order, without duplicates.</summary>
    public IReadOnlyList<GridXp> Complete()
    {
        var composed = new Xp[launches.Count];
        Parallel.For(0, launches.Count, i => composed[i] = compose(launches[i].Argv));
        for (int i = 0; i < launches.Count; i++) Keep(composed[i], launches[i].Resources);
        launches.Clear();
        return xps;
    }

    void Keep(Xp xp, Resources resources)
    {
        if (!sigs.Add(xp.Sig)) return;
        // A job needs as many cores per task as the XP's threads unless the grid said otherwise.
        int threads = xp.Config.TryGet<long>("threads", out var t) && t > 0 ? (int)t : 1;
        xps.Add(new GridXp(xp, resources with { Cpus = resources.Cpus ?? threads }));
    }
}
