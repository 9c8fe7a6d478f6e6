// Checkpoint save and load of ResNet-18 (11.2 M parameters, ~45 MB), in Loom's checkpoint format:
// save = the snapshot's sections streamed into an atomic write (temp file, checksum, fsync, rename, folder fsync);
// load = read + verify + load into a fresh model and optimizer. Also a memcpy and a plain write + fsync of the same
// bytes, for scale. Prints one line per round, then a JSON line of the per-round times (bench/Checkpoint/run.py
// alternates this with bench/Checkpoint/pytorch_checkpoint.py).
// The first saves of a process run the checksum's code as Tier-0 JIT code (System.IO.Hashing is not precompiled in
// a plain build; the ReadyToRun `loom` has it precompiled): +30–50 ms each for about ten saves. Steady state is
// measured after [warmup] untimed rounds; the first round's times are printed as well.
//   dotnet bench/Checkpoint/bin/Release/net10.0/Checkpoint.dll [rounds] [folder] [shapes.json to write] [warmup]
using System.Diagnostics;
using System.Text.Json;
using Loom.Experiments;
using Loom.IO;
using Loom.Nn;
using Loom.Optim;
using Loom.Training;
using TorchSharp;

int rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
string folder = args.Length > 1 ? args[1] : Directory.CreateTempSubdirectory("loom-ckpt-").FullName;
torch.set_num_threads(2);
Loom.TorchVision.TorchVisionModels.Register();
var model = ModelFactory.Create(new ModelSettings { Name = "resnet18" }, 1, 28, 28, 10);
var optimizer = OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1 }.WithOptions(new SgdOptions { Momentum = 0.9 }), model.parameters());
if (args.Length > 2) // the state's tensor names and shapes, for the PyTorch peer to save the same
    File.WriteAllText(args[2], JsonSerializer.Serialize(model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape)));
int warmup = args.Length > 3 ? int.Parse(args[3]) : 10;
string path = Path.Combine(folder, "checkpoint.last");
var history = new History();

double firstSave = 0, firstLoad = 0;
var save = new List<double>(); var load = new List<double>(); var memcpy = new List<double>(); var write = new List<double>();
long bytes = 0;
for (int r = -warmup; r < rounds; r++) // rounds below 0 warm up
{
    var clock = Stopwatch.StartNew();
    SectionFile.Write(path, TrainingSnapshot.Sections(model, optimizer, history, "bench: true"));
    double saveMs = clock.Elapsed.TotalMilliseconds;
    bytes = new FileInfo(path).Length;

    var fresh = ModelFactory.Create(new ModelSettings { Name = "resnet18" }, 1, 28, 28, 10);
    var freshOptimizer = OptimizerFactory.Create(new OptimSettings { Name = "sgd", Lr = 0.1 }.WithOptions(new SgdOptions { Momentum = 0.9 }), fresh.parameters());
    clock.Restart();
    TrainingSnapshot.Restore(SectionFile.Read(path), fresh, freshOptimizer, path);
    double loadMs = clock.Elapsed.TotalMilliseconds;

    if (r == -warmup) (firstSave, firstLoad) = (saveMs, loadMs);
    if (r < 0) continue;
    save.Add(saveMs); load.Add(loadMs);
    Console.WriteLine($"round {r + 1}: save {saveMs:F1} ms, load {loadMs:F1} ms");
}
// For scale, after the timed rounds (a file written in between would share the disk's writeback with them).
for (int r = 0; r < 3; r++)
{
    var flat = File.ReadAllBytes(path);
    var copy = new byte[flat.Length];
    var clock = Stopwatch.StartNew();
    Buffer.BlockCopy(flat, 0, copy, 0, flat.Length);
    memcpy.Add(clock.Elapsed.TotalMilliseconds);
    clock.Restart();
    using (var f = new FileStream(Path.Combine(folder, "raw"), FileMode.Create)) { f.Write(flat); f.Flush(true); }
    write.Add(clock.Elapsed.TotalMilliseconds);
    File.Delete(Path.Combine(folder, "raw"));
}
Console.WriteLine(JsonSerializer.Serialize(new { bytes, first_save_ms = firstSave, first_load_ms = firstLoad, save_ms = save, load_ms = load, memcpy_ms = memcpy, write_fsync_ms = write }));
