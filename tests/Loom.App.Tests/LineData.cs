using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.App.Tests;

/// <summary>The settings of the tests' small regression tasks: how many points of the line.</summary>
public sealed record LineSettings
{
    public int Samples { get; init; } = 256;
}

/// <summary>The line y = 2x + 1 at <c>samples</c> points of [-1, 1], as train and valid splits (the same points).</summary>
public static class LineData
{
    public static TaskData Load(int samples)
    {
        var x = linspace(-1, 1, samples).unsqueeze(1);
        var y = 2 * x + 1;
        return new TaskData(new Data.InMemoryDataset(x, y), new Data.InMemoryDataset(x.clone(), y.clone()));
    }
}
