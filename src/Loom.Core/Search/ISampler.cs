namespace Loom.Search;

/// <summary>
/// Proposes the parameters of trial <c>number</c> from the trials finished so far, in the order they finished.
/// Deterministic: the same seed, number and finished trials give the same proposal (each proposal draws from
/// its own random stream, seeded by the seed and the number, so a restarted driver proposes the same again).
/// </summary>
public interface ISampler
{
    IReadOnlyDictionary<string, object> Propose(SearchSpace space, IReadOnlyList<Trial> finished, Direction direction, int number);

    /// <summary>How many distinct trials the sampler can give (a grid); null when unbounded.</summary>
    int? Capacity(SearchSpace space) => null;
}
