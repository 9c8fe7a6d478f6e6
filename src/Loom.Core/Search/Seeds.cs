namespace Loom.Search;

/// <summary>A random stream per (seed, trial number): SplitMix64 mixing, because <see cref="HashCode"/> changes per process.</summary>
static class Seeds
{
    public static Random For(int seed, int number)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)number + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }
}
