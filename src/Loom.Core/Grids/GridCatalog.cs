using Loom.Scheduling;
using System.Diagnostics;
using System.Reflection;
using Loom.Experiments;

namespace Loom.Grids;

/// <summary>
/// The grids of some assemblies (the `loom` executable's, and a user's own), found by reflection, and
/// running one: a grid that throws is reported with its own file and line, not a stack trace.
/// </summary>
public sealed class GridCatalog
{
    readonly SortedDictionary<string, Type> grids = new(StringComparer.Ordinal);

    public GridCatalog(IEnumerable<Assembly> assemblies)
    {
        foreach (var type in assemblies.Distinct().SelectMany(LoadableTypes))
        {
            if (!type.IsSubclassOf(typeof(Grid)) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null) continue;
            string name = Grid.NameOf(type);
            if (grids.TryGetValue(name, out var other) && other != type)
                throw new GridException($"two grids are named '{name}': {other.FullName} and {type.FullName}");
            grids[name] = type;
        }
    }

    public IReadOnlyCollection<string> Names => grids.Keys;

    /// <summary>`name  description` per grid, names aligned (what `loom grid` without a name prints).</summary>
    public IEnumerable<string> Listing()
    {
        int width = grids.Count == 0 ? 0 : grids.Keys.Max(n => n.Length) + 2;
        return grids.Select(g => (g.Key.PadRight(width) + ((Grid)Activator.CreateInstance(g.Value)!).Description).TrimEnd());
    }

    public Grid Get(string name)
    {
        if (!grids.TryGetValue(name, out var type))
            throw new GridException($"no grid named '{name}'; the grids are: {(grids.Count == 0 ? "(none)" : string.Join(", ", grids.Keys))}");
        return (Grid)Activator.CreateInstance(type)!;
    }

    /// <summary>Runs the grid's explore method; the XPs it added, in order, without duplicates.</summary>
    public static IReadOnlyList<GridXp> Explore(string name, Grid grid, Func<IReadOnlyList<string>, Xp> compose, Resources? defaults = null)
    {
        try
        {
            var herd = new Herd(compose);
            grid.Explore(new Launcher(herd, resources: defaults));
            return herd.Complete();
        }
        catch (Exception e) when (e is not GridException)
        {
            // Run it again composing at each launch, so that a bad override is traced to its launcher call.
            try { grid.Explore(new Launcher(new Herd(compose, eager: true), resources: defaults)); }
            catch (Exception traced) { e = traced; }
            if (e is AggregateException { InnerExceptions: [var inner, ..] }) e = inner;
            throw new GridException($"grid '{name}' failed{Where(e, grid.GetType())}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>" at File.cs:LINE" of the deepest frame inside the grid's class (lambdas and local functions included).</summary>
    static string Where(Exception e, Type gridType)
    {
        var frames = new StackTrace(e, fNeedFileInfo: true).GetFrames();
        var frame = frames.FirstOrDefault(f => InGrid(f.GetMethod()?.DeclaringType, gridType) && f.GetFileName() is not null);
        return frame is null ? $" in {gridType.FullName}" : $" at {frame.GetFileName()}:{frame.GetFileLineNumber()}";
    }

    static bool InGrid(Type? type, Type gridType)
    {
        for (; type is not null; type = type.DeclaringType) if (type == gridType) return true;
        return false;
    }

    static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); } // a user assembly may miss optional dependencies
    }
}
