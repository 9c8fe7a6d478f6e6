namespace Loom.Search;

/// <summary>Never prunes: every trial gets the full budget.</summary>
public sealed class NonePruner : IPruner
{
    public bool ShouldPrune(Trial trial, int step, IReadOnlyList<Trial> trials, Direction direction) => false;

    public IReadOnlyList<int> Rungs(int maxSteps) => [maxSteps];
}
