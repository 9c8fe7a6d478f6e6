using System.Collections.Concurrent;

namespace Loom.Data.Loading;

/// <summary>
/// A fixed number of dedicated threads running the work given to them, first come first served. Dedicated rather
/// than the .NET thread pool's, so that the loader uses exactly `data.workers` threads (what the training's thread
/// count was reduced by) and never waits behind unrelated pool work.
/// </summary>
sealed class WorkerPool : IDisposable
{
    readonly BlockingCollection<Action> work = new();
    readonly Thread[] threads;

    public WorkerPool(int count)
    {
        threads = Enumerable.Range(0, count).Select(i => new Thread(Serve) { IsBackground = true, Name = $"loom-data-{i}" }).ToArray();
        foreach (var t in threads) t.Start();
    }

    /// <summary><paramref name="function"/> run on a worker; its exception is the task's.</summary>
    public Task<T> Run<T>(Func<T> function)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try { done.SetResult(function()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    void Serve()
    {
        foreach (var action in work.GetConsumingEnumerable()) action();
    }

    public void Dispose()
    {
        work.CompleteAdding();
        foreach (var t in threads) t.Join();
        work.Dispose();
    }
}
