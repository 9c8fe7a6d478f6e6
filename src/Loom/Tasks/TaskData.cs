namespace Loom.Tasks;

/// <summary>The splits of a task: train, an optional validation split, an optional test split.</summary>
public sealed class TaskData(IDataset train, IDataset? valid = null, IDataset? test = null) : IDisposable
{
    public IDataset Train { get; } = train;
    public IDataset? Valid { get; } = valid;
    public IDataset? Test { get; } = test;

    /// <summary>How the training batches are gathered: ahead of the step on worker threads (`data.workers`), or on the training thread (the default).</summary>
    public Loom.Data.Loading.BatchLoader Loader { get; init; } = Loom.Data.Loading.BatchLoader.Synchronous;

    /// <summary>The evaluation splits in history order.</summary>
    public IEnumerable<(string Name, IDataset Data)> Evaluations()
    {
        if (Valid is not null) yield return ("valid", Valid);
        if (Test is not null) yield return ("test", Test);
    }

    public void Dispose()
    {
        Train.Dispose();
        Valid?.Dispose();
        Test?.Dispose();
    }
}
