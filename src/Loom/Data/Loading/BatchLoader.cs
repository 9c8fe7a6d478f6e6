using Loom.Tasks;
using static TorchSharp.torch;

namespace Loom.Data.Loading;

/// <summary>
/// Gathers training batches ahead of the step on <c>workers</c> threads of its own, at most <c>prefetch</c> batches
/// ahead (the memory it may hold), handing them over in the planned order. Each batch is gathered by a pure call
/// (<see cref="IEpochDataset"/>), so which worker took it changes nothing: the batches are those gathered in order on
/// the training thread, bit for bit. With 0 workers a batch is gathered when the step asks for it, on its thread.
/// A worker's exception (a <see cref="DataException"/> naming the file) is thrown on the training thread when its
/// batch is reached, the batches ahead of it are dropped and the workers stopped.
/// Any data set plugs in (images, tables): the loader only sees indices and a gather function.
/// </summary>
public sealed class BatchLoader
{
    public BatchLoader(int workers, int prefetch)
    {
        if (workers < 0) throw new ArgumentOutOfRangeException(nameof(workers), $"data.workers={workers}: expected 0 or more");
        if (prefetch < 1) throw new ArgumentOutOfRangeException(nameof(prefetch), $"data.prefetch={prefetch}: expected 1 or more");
        // More workers than cores only contend (and each is a thread started at once): clamped, as `threads` is
        // (Training.MachineLimits; PreparedXp says it in one line).
        (Workers, Prefetch) = (Training.MachineLimits.ClampThreads("data.workers", workers, Training.MachineLimits.Cores).Value, prefetch);
    }

    /// <summary>Gathers on the training thread (no workers).</summary>
    public static readonly BatchLoader Synchronous = new(0, 1);

    public int Workers { get; }
    public int Prefetch { get; }

    /// <summary>
    /// The batches of <paramref name="plan"/> (indices, or null for an empty share, with a tag passed through), each
    /// gathered by <paramref name="gather"/>. The indices are disposed once gathered; the caller disposes each batch.
    /// </summary>
    public IEnumerable<(Batch? Batch, T Tag)> Load<T>(IEnumerable<(Tensor? Indices, T Tag)> plan, Func<Tensor, Batch> gather) =>
        Workers == 0 ? InOrder(plan, gather) : Ahead(plan, gather);

    static IEnumerable<(Batch? Batch, T Tag)> InOrder<T>(IEnumerable<(Tensor? Indices, T Tag)> plan, Func<Tensor, Batch> gather)
    {
        foreach (var (indices, tag) in plan)
        {
            using (indices) yield return (indices is null ? null : gather(indices), tag);
        }
    }

    IEnumerable<(Batch? Batch, T Tag)> Ahead<T>(IEnumerable<(Tensor? Indices, T Tag)> plan, Func<Tensor, Batch> gather)
    {
        using var pool = new WorkerPool(Workers);
        var pending = new Queue<(Task<Batch?> Batch, T Tag)>();
        using var source = plan.GetEnumerator();
        try
        {
            while (true)
            {
                while (pending.Count < Prefetch && source.MoveNext())
                {
                    var (indices, tag) = source.Current;
                    pending.Enqueue((pool.Run(() =>
                    {
                        using (indices) return indices is null ? null : gather(indices);
                    }), tag));
                }
                if (pending.Count == 0) yield break;
                var (next, nextTag) = pending.Dequeue();
                yield return (next.GetAwaiter().GetResult(), nextTag); // a worker's exception, as thrown
            }
        }
        finally
        {
            // Stopped early (an exception, the step's or a worker's, or a stop request): the batches ahead are not wanted.
            foreach (var (task, _) in pending)
            {
                try { task.GetAwaiter().GetResult()?.Dispose(); }
                catch (Exception) { /* the first failure is the one reported */ }
            }
        }
    }
}
