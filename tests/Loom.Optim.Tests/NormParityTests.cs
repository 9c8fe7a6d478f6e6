using System.Text.Json.Nodes;
using Loom.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>WeightNorm and SpectralNorm match torch.nn.utils.weight_norm / spectral_norm: forward and gradients.</summary>
public class NormParityTests
{
    static readonly JsonObject Fixtures = Fixture.Load("norms.json");
    const double Rtol = 1e-5, Atol = 1e-6;

    static nn.Module<Tensor, Tensor> Layer(JsonNode c)
    {
        nn.Module<Tensor, Tensor> layer = c["kind"]!.GetValue<string>() == "linear" ? nn.Linear(5, 4) : nn.Conv2d(2, 3, 3, padding: 1);
        using (no_grad())
            foreach (var (name, p) in layer.named_parameters())
                p.copy_(Fixture.Tensor(c[name]));
        return layer;
    }

    static void CheckBackward(JsonNode c, nn.Module<Tensor, Tensor> wrapped, Tensor y, string label)
    {
        using var r = Fixture.Tensor(c["r"]);
        (y * r).sum().backward();
        Fixture.Close(c["y"], y, Rtol, Atol, $"{label} y");
        var grads = c["grads"]!.AsObject();
        var parameters = wrapped.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(grads.Select(g => g.Key).Order(), parameters.Keys.Order()); // PyTorch's parameter names
        foreach (var (name, expected) in grads) Fixture.Close(expected, parameters[name].grad!, Rtol, Atol, $"{label} grad {name}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void WeightNormMatchesPyTorch(int index)
    {
        var c = Fixtures["weight_norm"]![index]!;
        var layer = Layer(c);
        using var x = Fixture.Tensor(c["x"]);
        using var before = layer.forward(x).detach();
        var wrapped = new WeightNorm(layer);
        var y = wrapped.forward(x);
        Fixture.Close(Fixture.Data(before), Fixture.Data(y), 1e-5, 1e-6, "weight norm keeps the function at init");
        CheckBackward(c, wrapped, y, $"weight_norm {c["kind"]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SpectralNormMatchesPyTorch(int index)
    {
        var c = Fixtures["spectral_norm"]![index]!;
        var wrapped = new SpectralNorm(Layer(c));
        var buffers = wrapped.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        using (no_grad())
        {
            buffers["weight_u"].copy_(Fixture.Tensor(c["u0"]));
            buffers["weight_v"].copy_(Fixture.Tensor(c["v0"]));
        }
        using var x = Fixture.Tensor(c["x"]);
        wrapped.train();
        Tensor y = null!;
        for (int i = 0; i < c["iterations"]!.GetValue<int>(); i++) y = wrapped.forward(x); // one power iteration each
        CheckBackward(c, wrapped, y, $"spectral_norm {c["kind"]}");
        Fixture.Close(c["u"], buffers["weight_u"], Rtol, Atol, "u after the power iterations");
        Fixture.Close(c["v"], buffers["weight_v"], Rtol, Atol, "v after the power iterations");
        wrapped.eval();
        using (no_grad())
        {
            using var yEval = wrapped.forward(x);
            Fixture.Close(c["y_eval"], yEval, Rtol, Atol, "eval forward (no iteration)");
        }
    }

    [Fact]
    public void SpectralNormConvergesToTheLargestSingularValue()
    {
        var layer = nn.Linear(6, 5);
        var sn = new SpectralNorm(layer, powerIterations: 50);
        sn.train();
        using var x = randn(2, 6);
        using var y = sn.forward(x);
        var weight = sn.named_parameters().First(p => p.name == "weight_orig").parameter;
        using var s = linalg.svdvals(weight.detach());
        Assert.Equal(s[0].item<float>(), sn.Sigma(), 4);
    }
}
