namespace Loom.Search;

/// <summary>TPE's density of a choice: each value's weighted count of observations, plus the prior spread evenly.</summary>
sealed class CategoricalEstimator
{
    readonly double[] probabilities;

    public CategoricalEstimator(IReadOnlyList<int> observations, IReadOnlyList<double> observationWeights, int choices, double priorWeight)
    {
        probabilities = Enumerable.Repeat(priorWeight / choices, choices).ToArray();
        for (int i = 0; i < observations.Count; i++) probabilities[observations[i]] += observationWeights[i];
        double total = probabilities.Sum();
        for (int i = 0; i < choices; i++) probabilities[i] /= total;
    }

    public int Sample(Random rng) => ParzenEstimator.Pick(rng, probabilities);

    public double LogDensity(int index) => Math.Log(probabilities[index]);
}
