using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// The XPs a grid's explore method adds, in order, each composed at once (so a bad override points at the
/// launcher call that made it) and kept once: the second launch of the same signature is ignored, as in Dora.
/// </summary>
public sealed class Herd(Func<IReadOnlyList<string>, Xp> compose)
{
    readonly List<GridXp> xps = [];
    readonly HashSet<string> sigs = [];

    public IReadOnlyList<GridXp> Xps => xps;

    public Xp Add(IReadOnlyList<string> argv, Resources resources)
    {
        var xp = compose(argv);
        if (sigs.Add(xp.Sig))
        {
            // A job needs as many cores as the XP's threads unless the grid said otherwise.
            int threads = xp.Config.TryGet<long>("threads", out var t) && t > 0 ? (int)t : 1;
            xps.Add(new GridXp(xp, resources with { Cpus = resources.Cpus ?? threads }));
        }
        return xp;
    }
}
