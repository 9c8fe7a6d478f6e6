namespace Loom.Search;

/// <summary>
/// Decides, from the values trials reported at a step, whether a trial stops there. <see cref="Rungs"/> says
/// at which steps (epochs) a decision is taken, so that a driver of resumable XPs can train each trial to
/// the next rung, decide, and continue the same XP (see docs/search.md).
/// </summary>
public interface IPruner
{
    bool ShouldPrune(Trial trial, int step, IReadOnlyList<Trial> trials, Direction direction);

    /// <summary>The steps at which a decision is taken, ascending, ending with <paramref name="maxSteps"/> (the full budget).</summary>
    IReadOnlyList<int> Rungs(int maxSteps);
}
