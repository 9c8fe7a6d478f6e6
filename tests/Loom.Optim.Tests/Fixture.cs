using System.Text.Json.Nodes;
using TorchSharp;
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

    /// <summary>A float32 tensor's elements as their bit patterns, for bit-for-bit comparisons.</summary>
    public static int[] Bits(Tensor t) => Data(t).Select(BitConverter.SingleToInt32Bits).ToArray();

    public static float[] Data(Tensor t) => t.detach().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();
}
