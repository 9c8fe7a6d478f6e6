using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>The real collectives, counting the calls made through them (a test watches how many a step makes).</summary>
sealed class CountingCollectives(ICollectives inner) : ICollectives
{
    public int Calls { get; set; }
    public int Rank => inner.Rank;
    public int WorldSize => inner.WorldSize;
    public void Broadcast(Tensor tensor, int root = 0) { Calls++; inner.Broadcast(tensor, root); }
    public void AllReduceSum(Tensor tensor) { Calls++; inner.AllReduceSum(tensor); }
    public void AllReduceSum(Span<double> values) { Calls++; inner.AllReduceSum(values); }
    public void Barrier() { Calls++; inner.Barrier(); }
    public void Dispose() => inner.Dispose();
}
