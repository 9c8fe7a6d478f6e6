// A plain TorchSharp training loop over Fashion-MNIST: the same small CNN, optimizer and batch size as
// Loom's default XP, written the way the TorchSharp examples write it. One epoch + a test pass, then one
// line of JSON: {"samples_per_second": train samples / train seconds, "epoch_seconds": ...}.
// Arguments: [data folder] [threads=2] [model=cnn|mlp] (mlp: Loom's `model=mlp`, 2 hidden layers of 256) [user|best] [limit: the first N
// training and test samples only].
// user (default): as the TorchSharp examples write it (conv -> ReLU -> pool in NCHW, optimizer.zero_grad()).
// best (issue 28): Loom's graph with what TorchSharp offers: pool before ReLU, the features channels-last (TorchSharp
// 0.107 has no memory_format, so by permute + contiguous, as Loom does), gradients released instead of zeroed
// (Module.zero_grad(), set_to_none); bench/epoch/run.py adds glibc's malloc tuned. TorchSharp's SGD has no foreach.
using System.Diagnostics;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

string root = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
int threads = args.Length > 1 ? int.Parse(args[1]) : 2;
torch.set_num_threads(threads);
torch.manual_seed(42);

Tensor ReadImages(string file)
{
    using var gz = new GZipStream(File.OpenRead(Path.Combine(root, file)), CompressionMode.Decompress);
    using var ms = new MemoryStream();
    gz.CopyTo(ms);
    var raw = ms.ToArray();
    int n = (raw[4] << 24) | (raw[5] << 16) | (raw[6] << 8) | raw[7];
    return tensor(raw[16..]).reshape(n, 1, 28, 28).to_type(ScalarType.Float32) / 255.0f;
}
Tensor ReadLabels(string file)
{
    using var gz = new GZipStream(File.OpenRead(Path.Combine(root, file)), CompressionMode.Decompress);
    using var ms = new MemoryStream();
    gz.CopyTo(ms);
    return tensor(ms.ToArray()[8..]).to_type(ScalarType.Int64);
}

long? limit = args.Length > 4 ? long.Parse(args[4]) : null;
Tensor First(Tensor t) => limit is long k && k < t.shape[0] ? t.narrow(0, 0, k) : t;
var trainX = First(ReadImages("train-images-idx3-ubyte.gz"));
var trainY = First(ReadLabels("train-labels-idx1-ubyte.gz"));
var testX = First(ReadImages("t10k-images-idx3-ubyte.gz"));
var testY = First(ReadLabels("t10k-labels-idx1-ubyte.gz"));
var mean = trainX.mean(); var std = trainX.std();
trainX = (trainX - mean) / std; testX = (testX - mean) / std;

bool best = args.Length > 3 && args[3] == "best";
if (args.Length > 3 && args[3] is not ("user" or "best")) throw new ArgumentException($"variant '{args[3]}': expected user or best");
Module<Tensor, Tensor> model = (args.Length > 2 ? args[2] : "cnn") == "mlp"
    ? Sequential(Flatten(), Linear(784, 256), ReLU(), Linear(256, 256), ReLU(), Linear(256, 10))
    : best ? new LoomGraphCnn()
    : Sequential(
        Conv2d(1, 32, 3, padding: 1), ReLU(), MaxPool2d(2),
        Conv2d(32, 64, 3, padding: 1), ReLU(), MaxPool2d(2),
        Flatten(), Linear(64 * 7 * 7, 128), ReLU(), Linear(128, 10));
var optimizer = optim.SGD(model.parameters(), 0.1, weight_decay: 1e-3);
const int batch = 32;
long n = trainX.shape[0];

var clock = Stopwatch.StartNew();
model.train();
var perm = randperm(n);
double lossSum = 0;
for (long i = 0; i < n; i += batch)
{
    using var scope = NewDisposeScope();
    var idx = perm.narrow(0, i, Math.Min(batch, n - i));
    var x = trainX.index_select(0, idx);
    var y = trainY.index_select(0, idx);
    if (best) model.zero_grad(); else optimizer.zero_grad();
    var loss = functional.cross_entropy(model.forward(x), y);
    loss.backward();
    optimizer.step();
    lossSum += loss.item<float>() * y.shape[0];
}
double trainSeconds = clock.Elapsed.TotalSeconds;
model.eval();
long correct = 0;
using (no_grad())
{
    for (long i = 0; i < testX.shape[0]; i += 256)
    {
        using var scope = NewDisposeScope();
        var len = Math.Min(256, testX.shape[0] - i);
        correct += model.forward(testX.narrow(0, i, len)).argmax(1).eq(testY.narrow(0, i, len)).sum().item<long>();
    }
}
double epochSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{{\"samples_per_second\": {n / trainSeconds:F1}, \"epoch_seconds\": {epochSeconds:F2}, \"train_loss\": {lossSum / n:F4}, \"test_accuracy\": {(double)correct / testX.shape[0]:F4}}}");

/// <summary>Loom's SmallCnn graph written by hand: pool before ReLU, channels-last features, NCHW before the second ReLU.</summary>
sealed class LoomGraphCnn : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> conv1 = Conv2d(1, 32, 3, padding: 1), pool1 = MaxPool2d(2), relu1 = ReLU();
    readonly Module<Tensor, Tensor> conv2 = Conv2d(32, 64, 3, padding: 1), pool2 = MaxPool2d(2), relu2 = ReLU();
    readonly Module<Tensor, Tensor> head = Sequential(Flatten(), Linear(64 * 7 * 7, 128), ReLU(), Linear(128, 10));

    public LoomGraphCnn() : base(nameof(LoomGraphCnn)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        // One input channel: NCHW and NHWC are the same bytes; the strides say which is meant.
        var s = input.shape;
        var x = input.as_strided(s, [s[2] * s[3], 1, s[3], 1]);
        x = relu1.forward(pool1.forward(conv1.forward(x)));
        x = pool2.forward(conv2.forward(x)).contiguous();
        return head.forward(relu2.forward(x));
    }
}
