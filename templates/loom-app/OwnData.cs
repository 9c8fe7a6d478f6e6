using Loom.Data;
using Loom.Data.Csv;
using Loom.Data.Loading;
using Loom.Tasks;

namespace LoomApp1;

/// <summary>
/// How a task of yours trains on its own pictures or table with Loom's data parts (README.md, "Your own data set").
/// Give the task's settings a Loom <see cref="DataSettings"/> as its `Data` section (its conf's `data:` keys are those
/// of Loom's conf/data/folder.yaml or csv.yaml, docs/data.md), check it in Validate with
/// <see cref="DataSettingsValidator.Validate"/>, and return one of these from LoadData. The character model above
/// reads a text and does not use them; they are compiled with the app so that they keep up with the library.
/// </summary>
public static class OwnData
{
    /// <summary>
    /// An image folder (torchvision's ImageFolder layout: root/&lt;class&gt;/*.png|jpg, or root/train/… and root/test/…),
    /// decoded once on `data.workers` threads, split (train / valid / test), normalized with the training split's
    /// statistics, augmented as `data.augment` says (a pure function of seed, epoch and sample: resume stays bit-exact),
    /// its training batches gathered ahead of the step on the same workers. <see cref="DataSplits"/> tells
    /// CreateModel the images' channels, height and width, the class count and the class names (the folders).
    /// </summary>
    public static (TaskData Data, DataSplits Splits) ImageFolder(DataSettings s)
    {
        var splits = DataFactory.Load(s with { Name = "folder" });
        return (new TaskData(splits.Train, splits.Valid, splits.Test) { Loader = new BatchLoader(s.Workers, s.Prefetch) }, splits);
    }

    /// <summary>
    /// A CSV table (`data.train`, `data.target`, `data.categorical`, `data.missing`, …): numbers standardized and
    /// categories one-hot encoded with the training split's values; each batch's input is N×1×1×<see cref="TableSchema.Width"/>,
    /// its target a class index or (regression) the standardized value.
    /// </summary>
    public static (TaskData Data, TableSchema Schema) Table(DataSettings s)
    {
        var plan = TablePlan.Prepare(s with { Name = "csv" });
        return (TableDatasets.Build(plan, new BatchLoader(s.Workers, s.Prefetch)), plan.Schema);
    }
}
