using Loom.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Distributed.Ranks;

/// <summary>Every collective on a few dtypes; prints "rank R name: values" lines.</summary>
static class CollectivesScenario
{
    public static int Run()
    {
        var process = DistributedEnvironment.Detect();
        using var c = process.Collectives!;
        int r = process.Rank, last = process.WorldSize - 1;
        void Print(string name, IEnumerable<object> values) => Console.WriteLine($"rank {r} {name}: {string.Join(",", values)}");

        using var f = tensor(new float[] { r + 1, 10 * (r + 1), 0.5f });
        c.AllReduceSum(f);
        Print("sum float32", f.data<float>().ToArray().Cast<object>());

        using var d = tensor(new double[] { r + 1, 0.25 * r });
        c.AllReduceSum(d);
        Print("sum float64", d.data<double>().ToArray().Cast<object>());

        using var l = tensor(new long[] { r + 1, 1L << 40 });
        c.AllReduceSum(l);
        Print("sum int64", l.data<long>().ToArray().Cast<object>());

        Span<double> span = [r, 1];
        c.AllReduceSum(span);
        Print("sum span", span.ToArray().Cast<object>());

        using var b0 = arange(4, dtype: ScalarType.Float32) + 100 * r;
        c.Broadcast(b0, root: 0);
        Print("bcast root0", b0.data<float>().ToArray().Cast<object>());

        using var bl = full(3, (long)r);
        c.Broadcast(bl, root: last);
        Print("bcast rootlast", bl.data<long>().ToArray().Cast<object>());

        // 1M floats: more than one MPI segment, the ring algorithm's real path.
        using var big = full(1 << 20, (float)(r + 1));
        c.AllReduceSum(big);
        Print("sum big min max", [big.min().item<float>(), big.max().item<float>()]);

        c.Barrier();
        Print("barrier", ["passed"]);
        return 0;
    }
}
