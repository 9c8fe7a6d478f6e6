using Loom.Experiments;
using Loom.Scheduling;

namespace Loom.Grids;

/// <summary>
/// Dora's launcher: holds overrides and resources; <see cref="Bind"/> and <see cref="Slurm"/> return a derived
/// launcher, <see cref="Bind_"/> and <see cref="Slurm_"/> change this one, and <see cref="Launch"/> (Dora's
/// `launcher(...)`) adds one XP to the grid. A later override of the same key replaces an earlier one, as
/// Dora's keyword arguments do.
/// </summary>
public sealed class Launcher
{
    readonly Herd herd;
    List<string> argv;
    Resources resources;

    public Launcher(Herd herd, IEnumerable<string>? argv = null, Resources? resources = null)
    {
        this.herd = herd;
        this.argv = argv?.ToList() ?? [];
        this.resources = resources ?? new Resources();
    }

    public IReadOnlyList<string> Argv => argv;
    public Resources Resources => resources;

    public Launcher Bind(params string[] overrides) => new(herd, Merge(argv, overrides), resources);

    public Launcher Bind_(params string[] overrides) { argv = Merge(argv, overrides); return this; }

    public Launcher Slurm(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null) =>
        new(herd, argv, resources.With(cpus, memoryGb, timeMinutes, tasks));

    public Launcher Slurm_(int? cpus = null, int? memoryGb = null, int? timeMinutes = null, int? tasks = null)
    {
        resources = resources.With(cpus, memoryGb, timeMinutes, tasks);
        return this;
    }

    /// <summary>Adds the XP of this launcher's overrides plus <paramref name="overrides"/> to the grid.</summary>
    public void Launch(params string[] overrides) => herd.Add(Merge(argv, overrides), resources);

    static List<string> Merge(IEnumerable<string> current, IEnumerable<string> added)
    {
        var merged = current.ToList();
        foreach (var o in added)
        {
            int i = merged.FindIndex(m => Key(m) == Key(o));
            if (i >= 0) merged[i] = o; else merged.Add(o);
        }
        return merged;
    }

    /// <summary>The key an override sets: `+a.b=1`, `++a.b=1`, `~a.b` and `a.b=1` all set `a.b`.</summary>
    static string Key(string o) => o.Split('=', 2)[0].TrimStart('+', '~');
}
