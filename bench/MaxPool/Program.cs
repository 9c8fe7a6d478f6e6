using System.Diagnostics;
using Loom.Nn;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

// The small CNN's two pooled activations (batch 32), libtorch's max_pool2d and Loom's MaxPool2x2 alternated
// round by round; prints the median and spread of the time per call and checks that both give the same bits.
//   dotnet run -c Release --project bench/MaxPool -- [threads=2] [rounds=7]
// Run with MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 (what `loom train` sets itself).
set_num_threads(args.Length > 0 ? int.Parse(args[0]) : 2);
int rounds = args.Length > 1 ? int.Parse(args[1]) : 7;
var pool = new MaxPool2x2();
var peers = new (string Name, Func<Tensor, Tensor> Pool)[] { ("libtorch max_pool2d", x => F.max_pool2d(x, 2)), ("Loom MaxPool2x2", pool.forward) };
Console.WriteLine("| input | pass | libtorch ms median (min–max) | Loom ms median (min–max) | time ratio |");
Console.WriteLine("|---|---|---|---|---|");
foreach (long[] shape in new long[][] { [32, 32, 28, 28], [32, 64, 14, 14] })
{
    using var activations = randn(shape, generator: new Generator(1)).relu_();
    using var upstream = randn([shape[0], shape[1], shape[2] / 2, shape[3] / 2], generator: new Generator(2));
    foreach (bool training in new[] { true, false })
    {
        var times = peers.Select(_ => new List<double>()).ToArray();
        var results = new Tensor[peers.Length];
        for (int r = 0; r < rounds; r++)
            for (int p = 0; p < peers.Length; p++)
            {
                const int calls = 200;
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < calls; i++)
                {
                    using var scope = NewDisposeScope();
                    using var mode = training ? enable_grad() : no_grad();
                    var x = activations.detach().requires_grad_(training);
                    var y = peers[p].Pool(x);
                    if (training) y.backward([upstream]);
                    if (r == 0 && i == 0) results[p] = (training ? x.grad! : y).detach().clone().MoveToOuterDisposeScope();
                }
                times[p].Add(clock.Elapsed.TotalMilliseconds / calls);
            }
        if (!results[0].eq(results[1]).all().item<bool>()) throw new Exception($"{string.Join('×', shape)}: the results differ");
        foreach (var t in times) t.Sort();
        string Cell(List<double> t) { return $"{t[t.Count / 2]:F3} ({t[0]:F3}–{t[^1]:F3})"; }
        double ratio = times[1][times[1].Count / 2] / times[0][times[0].Count / 2];
        Console.WriteLine($"| {string.Join('×', shape)} | {(training ? "forward + backward" : "forward, no_grad")} | {Cell(times[0])} | {Cell(times[1])} | {ratio:F2} |");
    }
}
