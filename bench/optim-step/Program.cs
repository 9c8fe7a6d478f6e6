// Optimizer step time over ResNet-18's parameters (the reference task's model=resnet18), one optimizer per
// process, as in a training run. Usage:
//   OptimStep shapes <file>        writes the parameter shapes for the PyTorch side (bench.py)
//   OptimStep <optimizer> <steps>  prints one JSON line {"optimizer": ..., "ms": [per-step times]}
// Optimizers: sgd (the reference task's default: no momentum, weight decay 1e-3), sgd_momentum, sgd_momentum_no_wd,
// adam, adamw (Loom's OptimizerFactory), sgd_unfused, sgd_momentum_unfused, adam_unfused and adamw_unfused (Loom's
// optimizers without their one-pass update: TorchSharp's operations) and sgd_momentum_torchsharp (TorchSharp's own
// SGD, which Loom's Sgd replaces).
// A third argument `mlp` steps the reference task's model=mlp instead of ResNet-18.
using System.Diagnostics;
using System.Text.Json;
using Loom.Nn;
using Loom.Optim;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

set_num_threads(2);
manual_seed(0);
nn.Module model = args.Length > 2 && args[2] == "mlp" ? new Mlp(28 * 28, 10) : Loom.TorchVision.TorchVisionModels.ResNet18(1, 10);
var parameters = model.parameters().ToList();
if (args[0] == "shapes")
{
    File.WriteAllText(args[1], JsonSerializer.Serialize(parameters.Select(p => p.shape).ToList()));
    Console.Error.WriteLine($"{parameters.Count} tensors, {parameters.Sum(p => p.numel()):N0} parameters");
    return;
}
string name = args[0];
int steps = int.Parse(args[1]);
foreach (var p in parameters) p.grad = randn_like(p) * 1e-3; // fixed gradients: the step alone is timed

TorchSharp.Modules.OptimizerHelper optimizer = name switch
{
    "sgd_momentum" => OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1, WeightDecay = 1e-4 }.WithOptions(new SgdOptions { Momentum = 0.9 }), parameters),
    "sgd_momentum_torchsharp" => optim.SGD(parameters, 0.1, 0.9, 0, 1e-4),
    "sgd_momentum_unfused" => new Sgd(parameters, 0.1, 0.9, 0, 1e-4, fused: false),
    // The reference task's default optimizer (conf/optim/sgd.yaml): no momentum, weight decay 1e-3.
    "sgd" => OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1, WeightDecay = 1e-3 }, parameters),
    "sgd_unfused" => new Sgd(parameters, 0.1, weightDecay: 1e-3, fused: false),
    // Diagnostic: without weight decay the step allocates no temporary (see docs/benchmarks.md).
    "sgd_momentum_no_wd" => OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1 }.WithOptions(new SgdOptions { Momentum = 0.9 }), parameters),
    "adam" => OptimizerFactory.Create(new OptimSettings { Name = "adam", Lr = 1e-3 }, parameters),
    "adamw" => OptimizerFactory.Create(new OptimSettings { Name = "adamw", Lr = 1e-3, WeightDecay = 1e-2 }, parameters),
    "adam_unfused" => new Adam(parameters, 1e-3, fused: false),
    "adamw_unfused" => new AdamW(parameters, 1e-3, weightDecay: 1e-2, fused: false),
    _ => throw new ArgumentException($"unknown optimizer {name}"),
};
// Collect the set-up's garbage first: tensors left to finalizers would be freed during the timing.
GC.Collect();
GC.WaitForPendingFinalizers();
for (int i = 0; i < 5; i++) optimizer.step(); // warm-up: state allocation
var times = new List<double>();
for (int i = 0; i < steps; i++)
{
    var clock = Stopwatch.StartNew();
    optimizer.step();
    times.Add(clock.Elapsed.TotalMilliseconds);
}
Console.WriteLine(JsonSerializer.Serialize(new { optimizer = name, ms = times }));
