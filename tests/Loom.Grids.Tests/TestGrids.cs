using Loom.Grids;

namespace Loom.Grids.Tests;

/// <summary>
/// A grid whose XPs the test chooses through $LOOM_TEST_GRID (XPs separated by ';', overrides by spaces):
/// changing the variable between two `loom grid env` is how a test edits the grid. Loaded by `loom` with
/// `--grids` (the user-assembly path of grid discovery).
/// </summary>
public sealed class EnvGrid : Grid
{
    public override void Explore(Launcher launcher)
    {
        foreach (var xp in (Environment.GetEnvironmentVariable("LOOM_TEST_GRID") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            launcher.Launch(xp.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>A grid with a bug: `loom grid throwing` must point at this file and line.</summary>
public sealed class ThrowingGrid : Grid
{
    public const int Line = 27; // the line of the throw below

    public override void Explore(Launcher launcher)
    {
        launcher.Launch("model=mlp");
        throw new InvalidOperationException("boom in the grid");
    }
}
