namespace Loom.Data;

/// <summary>
/// Which training images become the validation split: a Fisher–Yates shuffle of the first N images driven by
/// SplitMix64. Written by hand because the split must be the same on every machine and .NET version, and
/// <see cref="Random"/>'s seeded sequence is not promised to stay the same across versions.
/// </summary>
public static class SeededShuffle
{
    /// <summary>The first <paramref name="count"/> images and labels of <paramref name="raw"/>'s training set, in a seeded
    /// random order: the pixels reordered as a view (<see cref="ImagePixels.Permuted"/>), not copied, so a streamed set
    /// stays on disk.</summary>
    public static RawImages TrainingSet(RawImages raw, int count, long seed)
    {
        var order = Permutation(count, seed);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = raw.TrainLabels[order[i]];
        return raw with { TrainPixels = raw.TrainPixels.Permuted(order, raw.Channels * raw.Height * raw.Width), TrainLabels = labels };
    }

    /// <summary>Which of <paramref name="count"/> samples form a test split of <paramref name="testCount"/> drawn with
    /// <paramref name="seed"/> (data.test_fraction of an image folder or a table without its own test files). Not the
    /// same permutation as the validation split's, which is drawn from the training split with the same seed.</summary>
    public static bool[] TestMask(int count, int testCount, long seed)
    {
        var order = Permutation(count, unchecked(seed ^ 0x7e57_5917L));
        var isTest = new bool[count];
        foreach (int i in order.AsSpan(0, testCount)) isTest[i] = true;
        return isTest;
    }

    /// <summary>A permutation of 0..count-1 that depends only on <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, long seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        ulong state = unchecked((ulong)seed);
        for (int i = count - 1; i > 0; i--)
        {
            // j uniform in [0, i]: the high word of a 64×64-bit product (Lemire's multiply-shift, bias < 2^-32).
            int j = (int)Math.BigMul(Next(ref state), (ulong)(i + 1), out _);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): one 64-bit output per call.</summary>
    internal static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
