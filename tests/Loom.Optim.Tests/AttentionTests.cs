using System.Text.Json.Nodes;
using Loom.Nn;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>The einsum attention module against the lecture's PyTorch code.</summary>
public class AttentionTests
{
    [Fact]
    public void OutputMatchesPyTorch()
    {
        var c = Fixture.Load("attention.json");
        var attention = new EinsumAttention(c["channels"]!.GetValue<long>());
        var parameters = attention.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(6, parameters.Count);
        using (no_grad())
            foreach (var (name, value) in c["params"]!.AsObject()) parameters[name].copy_(Fixture.Tensor(value));
        using var x = Fixture.Tensor(c["x"]);
        using var y = attention.forward(x);
        Fixture.Close(c["y"], y, 1e-5, 1e-6, "attention output");
    }

    [Fact]
    public void ClassifierReadsRowsAsASequence()
    {
        var model = new AttentionClassifier(channels: 3, height: 32, width: 32, classes: 10, hidden: 16, layers: 1);
        using var x = randn(2, 3, 32, 32);
        using var y = model.forward(x);
        Assert.Equal(new long[] { 2, 10 }, y.shape);
    }
}
