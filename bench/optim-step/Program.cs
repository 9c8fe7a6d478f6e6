// Optimizer step time over ResNet-18's parameters (Loom's optimizers = TorchSharp's), one process per round.
// Usage: OptimStep <steps> [shapes.json]   — prints one JSON line: {"sgd_momentum": [ms per step...], ...}
// With a second argument it writes the parameter shapes for the PyTorch side (bench.py) and exits.
using System.Diagnostics;
using System.Text.Json;
using Loom.Nn;
using Loom.Optim;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

set_num_threads(2);
manual_seed(0);
var model = TorchVisionModels.ResNet18(1, 10); // the reference task's model=resnet18
var parameters = model.parameters().ToList();
if (args.Length > 1)
{
    File.WriteAllText(args[1], JsonSerializer.Serialize(parameters.Select(p => p.shape).ToList()));
    Console.Error.WriteLine($"{parameters.Count} tensors, {parameters.Sum(p => p.numel()):N0} parameters");
    return;
}
int steps = int.Parse(args[0]);
foreach (var p in parameters) p.grad = randn_like(p) * 1e-3; // fixed gradients: the step alone is timed

var settings = new Dictionary<string, OptimSettings>
{
    ["sgd_momentum"] = new() { Name = "sgd", Lr = 0.1, Momentum = 0.9, WeightDecay = 1e-4 },
    // Diagnostic: without weight decay the step allocates no temporary (see docs/benchmarks.md).
    ["sgd_momentum_no_wd"] = new() { Name = "sgd", Lr = 0.1, Momentum = 0.9 },
    ["adam"] = new() { Name = "adam", Lr = 1e-3 },
    ["adamw"] = new() { Name = "adamw", Lr = 1e-3, WeightDecay = 1e-2 },
};
var result = new Dictionary<string, List<double>>();
foreach (var (name, s) in settings)
{
    var optimizer = OptimizerFactory.Create(s, parameters);
    for (int i = 0; i < 5; i++) optimizer.step(); // warm-up: state allocation
    var times = new List<double>();
    for (int i = 0; i < steps; i++)
    {
        var clock = Stopwatch.StartNew();
        optimizer.step();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    result[name] = times;
    optimizer.Dispose();
    GC.Collect();
}
Console.WriteLine(JsonSerializer.Serialize(result));
