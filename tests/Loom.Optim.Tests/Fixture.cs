using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>Reads the PyTorch reference fixtures (written by fixtures/generate.py) and compares tensors.</summary>
static class Fixture
{
    public static JsonObject Load(string name) =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", name)))!;

    public static float[] Floats(JsonNode? node) => node!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();

    /// <summary>A `{"shape": [...], "data": [...]}` object as a float32 tensor.</summary>
    public static Tensor Tensor(JsonNode? node)
    {
        var shape = node!["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        return tensor(Floats(node["data"])).reshape(shape);
    }

    /// <summary>Asserts |actual − expected| ≤ rtol·|expected| + atol element-wise, naming the worst element.</summary>
    public static void Close(float[] expected, float[] actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(actual[i] - (double)expected[i]);
            Assert.True(diff <= rtol * Math.Abs(expected[i]) + atol,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (diff {diff:E2})");
        }
    }

    public static void Close(JsonNode? expected, Tensor actual, double rtol, double atol, string what)
    {
        var shape = expected!["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray();
        Assert.Equal(shape, actual.shape);
        Close(Floats(expected["data"]), Data(actual), rtol, atol, what);
    }

    /// <summary>
    /// The fused-optimizer tests' network, 301→129→17 (odd sizes: vector bodies and scalar tails; one tensor above
    /// libtorch's parallel grain, 32768), trained <paramref name="steps"/> steps on random batches by the optimizer
    /// <paramref name="create"/> makes over its parameters.
    /// </summary>
    public static (Sequential Model, T Optimizer) TrainOddNetwork<T>(Func<IEnumerable<Parameter>, T> create, int steps, int seed, int dataSeed)
        where T : OptimizerHelper
    {
        manual_seed(seed);
        var model = nn.Sequential(nn.Linear(301, 129), nn.ReLU(), nn.Linear(129, 17));
        var optimizer = create(model.parameters());
        var generator = new Generator((ulong)dataSeed);
        for (int step = 0; step < steps; step++)
        {
            var x = randn(16, 301, generator: generator);
            var y = randint(0, 17, 16, generator: generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }
        return (model, optimizer);
    }

    /// <summary>Three steps of <paramref name="optimizer"/> on mean((x·wᵀ + b)²), calling <paramref name="afterStep"/> after each.</summary>
    public static void FitQuadratic(Parameter weight, Parameter bias, OptimizerHelper optimizer, Tensor x, Action? afterStep = null)
    {
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            (x.matmul(weight.t()) + bias).pow(2).mean().backward();
            optimizer.step();
            afterStep?.Invoke();
        }
    }

    /// <summary>A float32 tensor's elements as their bit patterns, for bit-for-bit comparisons.</summary>
    public static int[] Bits(Tensor t) => Data(t).Select(BitConverter.SingleToInt32Bits).ToArray();

    public static float[] Data(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();
}
