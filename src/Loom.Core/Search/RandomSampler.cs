namespace Loom.Search;

/// <summary>Every parameter drawn uniformly (log-uniformly for log parameters), independently of the results.</summary>
public sealed class RandomSampler(int seed = 0) : ISampler
{
    public IReadOnlyDictionary<string, object> Propose(SearchSpace space, IReadOnlyList<Trial> finished, Direction direction, int number)
    {
        var rng = Seeds.For(seed, number);
        return space.Fill(p => p.SampleUniform(rng));
    }
}
