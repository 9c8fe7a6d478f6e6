using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Data.Csv;

/// <summary>A <see cref="TablePlan"/> as tensors: each split one N×inputs float tensor and its targets (int64 classes,
/// or the standardized float target), held whole (<see cref="InMemoryDataset"/>): a table is small next to images.</summary>
public static class TableDatasets
{
    public static TaskData Build(TablePlan p, Loom.Data.Loading.BatchLoader loader)
    {
        long width = p.Schema.Width;
        int fit = p.TrainCount - p.ValidCount;
        Tensor Targets(float[] values, long[] labels, int start, int count) =>
            p.Schema.IsRegression ? tensor(values.AsSpan(start, count).ToArray()) : tensor(labels.AsSpan(start, count).ToArray());
        InMemoryDataset Split(float[] inputs, float[] values, long[] labels, int start, int count) =>
            new(tensor(inputs.AsSpan((int)(start * width), (int)(count * width)).ToArray(), [count, width]), Targets(values, labels, start, count));
        var train = Split(p.TrainInputs, p.TrainTargets, p.TrainLabels, 0, fit);
        var valid = p.ValidCount > 0 ? Split(p.TrainInputs, p.TrainTargets, p.TrainLabels, fit, p.ValidCount) : null;
        var test = p.TestCount > 0 ? Split(p.TestInputs, p.TestTargets, p.TestLabels, 0, p.TestCount) : null;
        return new TaskData(train, valid, test) { Loader = loader };
    }
}
