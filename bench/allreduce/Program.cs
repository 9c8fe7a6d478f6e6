using System.Diagnostics;
using System.Globalization;
using Loom.Distributed;
using TorchSharp;
using static TorchSharp.torch;

// One rank of the all-reduce benchmark: ResNet-18's gradients (11.7 M float32, 44.7 MB) averaged by
// DataParallel.AverageGradients (in-place MPI_Allreduce of the flat GradientBuffer, then ÷ W), `iterations`
// times after a warm-up. Rank 0 prints the median, min and max in ms and the bandwidth in GB/s (buffer
// bytes / median time, the figure raw_allreduce.c prints too).
// "divided": the trainer divides the loss by W (DataParallel.LossDividedByWorldSize), so no ÷ W pass here.
int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
bool divided = args.Contains("divided");
// "cnn": the reference task's small CNN (channels 32, 0.42 M parameters, 1.7 MB) instead of ResNet-18.
bool cnn = args.Contains("cnn");
torch.set_num_threads(1);
var process = DistributedEnvironment.Detect();
nn.Module model = cnn ? new Loom.Nn.SmallCnn(1, 28, 28, 10, channels: 32) : torchvision.models.resnet18();
var parameters = model.parameters().ToList();
using var dataParallel = new DataParallel(process) { LossDividedByWorldSize = divided };
dataParallel.Attach(model, parameters);
var gradients = dataParallel.Gradients ?? throw new InvalidOperationException("run under mpirun with 2 ranks or more");
foreach (var flat in gradients.Buffers) flat.fill_(process.Rank + 1);
long bytes = gradients.Count * sizeof(float);

var times = new List<double>();
for (int i = 0; i < iterations + 3; i++)
{
    process.Collectives!.Barrier();
    var watch = Stopwatch.StartNew();
    dataParallel.AverageGradients();
    watch.Stop();
    if (i >= 3) times.Add(watch.Elapsed.TotalMilliseconds);
}
times.Sort();
double median = times[times.Count / 2];
// What the ÷ W pass alone costs (one memory pass over the buffer, one thread).
var divide = new List<double>();
for (int i = 0; i < 10; i++)
{
    var watch = Stopwatch.StartNew();
    foreach (var flat in gradients.Buffers) flat.div_(1.0);
    divide.Add(watch.Elapsed.TotalMilliseconds);
}
divide.Sort();
if (process.IsMain)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(divided ? "loom-divided" : "loom")}{(cnn ? "-cnn" : "")} bytes={bytes} median_ms={median:F2} min_ms={times[0]:F2} max_ms={times[^1]:F2} GBps={bytes / median / 1e6:F3} divide_ms={divide[5]:F2}"));
process.Collectives!.Dispose();
