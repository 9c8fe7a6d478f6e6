// Checkpoint save and load of ResNet-18 (11.2 M parameters, ~45 MB) vs a plain memcpy of the same bytes.
// Save = capture model/optimizer/RNG into sections + atomic write (temp file, fsync, rename) with SHA-256;
// load = read + verify + load into a fresh model and optimizer. Rounds alternate; medians and min–max.
//   dotnet run -c Release --project bench/Checkpoint -- [rounds] [folder]
using System.Diagnostics;
using Loom.Experiments;
using Loom.IO;
using Loom.Nn;
using Loom.Optim;
using Loom.Training;
using TorchSharp;

int rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
string folder = args.Length > 1 ? args[1] : Directory.CreateTempSubdirectory("loom-ckpt-").FullName;
torch.set_num_threads(2);
var model = ModelFactory.Create(new ModelSettings { Name = "resnet18" }, 1, 28, 28, 10);
var optimizer = OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1, Momentum = 0.9 }, model.parameters());
string path = Path.Combine(folder, "checkpoint.last");
var history = new History();

var save = new List<double>(); var load = new List<double>(); var memcpy = new List<double>(); var write = new List<double>();
long bytes = 0;
for (int r = 0; r < rounds + 1; r++) // round 0 warms up
{
    var clock = Stopwatch.StartNew();
    var sections = TrainingSnapshot.Capture(model, optimizer, history, "bench: true");
    SectionFile.Write(path, sections);
    double saveMs = clock.Elapsed.TotalMilliseconds;
    bytes = new FileInfo(path).Length;

    clock.Restart();
    var fresh = ModelFactory.Create(new ModelSettings { Name = "resnet18" }, 1, 28, 28, 10);
    var freshOptimizer = OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1, Momentum = 0.9 }, fresh.parameters());
    double constructMs = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    TrainingSnapshot.Restore(SectionFile.Read(path), fresh, freshOptimizer, path);
    double loadMs = clock.Elapsed.TotalMilliseconds;

    var flat = sections.SelectMany(s => s.Bytes).ToArray();
    var copy = new byte[flat.Length];
    clock.Restart();
    Buffer.BlockCopy(flat, 0, copy, 0, flat.Length);
    double memcpyMs = clock.Elapsed.TotalMilliseconds;

    clock.Restart();
    using (var f = new FileStream(Path.Combine(folder, "raw"), FileMode.Create)) { f.Write(flat); f.Flush(true); }
    double writeMs = clock.Elapsed.TotalMilliseconds;

    if (r == 0) continue;
    save.Add(saveMs); load.Add(loadMs); memcpy.Add(memcpyMs); write.Add(writeMs);
    Console.WriteLine($"round {r}: save {saveMs:F1} ms, load {loadMs:F1} ms (+{constructMs:F0} ms to build the fresh model), memcpy {memcpyMs:F2} ms, raw write+fsync {writeMs:F1} ms");
}
static string Stat(List<double> v) { var s = v.Order().ToList(); return $"{s[s.Count / 2]:F1} ms ({s[0]:F1}–{s[^1]:F1})"; }
Console.WriteLine($"\ncheckpoint {bytes / 1e6:F1} MB, {rounds} rounds");
Console.WriteLine($"| save (capture + SHA-256 + atomic write + fsync) | {Stat(save)} | {save.Order().ElementAt(save.Count / 2) / memcpy.Order().ElementAt(memcpy.Count / 2):F0}x memcpy |");
Console.WriteLine($"| load (read + verify + load state) | {Stat(load)} | {load.Order().ElementAt(load.Count / 2) / memcpy.Order().ElementAt(memcpy.Count / 2):F0}x memcpy |");
Console.WriteLine($"| memcpy of the same bytes | {Stat(memcpy)} | 1x |");
Console.WriteLine($"| plain write + fsync of the same bytes | {Stat(write)} | {write.Order().ElementAt(write.Count / 2) / memcpy.Order().ElementAt(memcpy.Count / 2):F0}x memcpy |");
