// Loom's `data=folder` loading alone, no model: what `loom train data=folder` does with the data in one epoch, through
// the same library parts (ImageFolderReader decodes the folder on `workers` threads, BatchLoader gathers the augmented
// training batches ahead on them, EpochSampler orders them, the test split is normalized batch by batch on this
// thread as the trainer's evaluation does). The augmentation is bench/data/pytorch_loader.py's: random crop with
// padding 4, horizontal flip, normalize with Fashion-MNIST's mean and std; batch 32; no validation split.
// The clock starts before the folder is scanned and stops after the last batch; loading libtorch is outside it.
// Prints one line of JSON: {"samples_per_second", "seconds", "samples", "decode_seconds", "workers"}.
//   dotnet bench/DataLoading/bin/Release/net10.0/DataLoading.dll FOLDER [workers=0] [prefetch=4]
using System.Diagnostics;
using System.Text.Json;
using Loom.Data;
using Loom.Data.Loading;
using Loom.Distributed;
using Loom.Platform;
using Loom.Training;
using TorchSharp;

string root = args.Length > 0 ? args[0] : throw new ArgumentException("usage: DataLoading FOLDER [workers=0] [prefetch=4]");
int workers = args.Length > 1 ? int.Parse(args[1]) : 0;
int prefetch = args.Length > 2 ? int.Parse(args[2]) : 4;
const int batchSize = 32;
const long seed = 42;

PlatformTweaks.BeforeTorch(new PlatformSettings());
PlatformTweaks.LoadTorch(new PlatformSettings());
torch.set_num_threads(2);
torch.zeros(1).Dispose(); // libtorch loaded before the clock (the peer imports torch before its own)

var settings = new DataSettings
{
    Name = "folder", Root = root, ValidFraction = 0, Workers = workers, Prefetch = prefetch,
    Augment = new AugmentSettings { CropPadding = 4, Flip = true, Mean = [0.2860], Std = [0.3530] },
};
var clock = Stopwatch.StartNew();
var plan = DataFactory.Prepare(settings);
double decodeSeconds = clock.Elapsed.TotalSeconds;
using var splits = DataFactory.Load(settings, plan);
var loader = new BatchLoader(settings.Workers, settings.Prefetch);
var sampler = new EpochSampler(splits.Train.Count, batchSize, seed, ProcessContext.Single);
long samples = 0;
foreach (var (batch, _) in loader.Load(sampler.Epoch(1), indices => splits.Train.Gather(indices, seed, 1)))
    using (batch) samples += batch!.Size;
for (int start = 0; start < splits.Test.Count; start += batchSize)
    using (var batch = splits.Test.Slice(start, Math.Min(batchSize, splits.Test.Count - start))) samples += batch.Size;
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["samples_per_second"] = samples / seconds, ["seconds"] = seconds, ["samples"] = samples,
    ["decode_seconds"] = decodeSeconds, ["workers"] = loader.Workers,
}));
