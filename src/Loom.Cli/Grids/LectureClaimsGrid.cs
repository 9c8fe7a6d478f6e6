using Loom.Grids;

namespace Loom.Cli.Grids;

/// <summary>
/// The index of the lecture's grids: every XP of the grid-search slide (<see cref="LectureGrid"/>, `lecture`) and of
/// each reproduced claim (docs/lecture.md), in one grid, so that `loom grid lecture_claims` runs them all (81 XPs) and
/// `loom report lecture_claims` shows them together. Each claim's grid also runs alone (`loom grid lecture_reparam`),
/// and has a test-sized variant (`lecture_reparam_quick`, …) in tests/Loom.Lecture.Tests/Grids (`--grids` loads it).
/// </summary>
public sealed class LectureClaimsGrid : Grid
{
    /// <summary>The grids indexed, in the order of docs/lecture.md.</summary>
    public static readonly IReadOnlyList<Grid> Claims =
        [new LectureGrid(), new LectureReparamGrid(), new LectureReparamEquivalenceGrid(), new LectureLrDropsGrid(), new LectureAdamwGrid(),
         new LectureLargeBatchGrid(), new LectureBatchSizeGrid(), new LectureWeightNormGrid()];

    public override string Description => "every lecture grid: " + string.Join(", ", Claims.Select(g => NameOf(g.GetType())));

    public override void Explore(Launcher launcher)
    {
        // Each grid binds its own settings on a fresh child launcher: none leaks into another.
        foreach (var grid in Claims) grid.Explore(launcher.Bind());
    }
}
