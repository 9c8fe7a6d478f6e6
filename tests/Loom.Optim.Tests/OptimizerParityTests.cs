using System.Text.Json.Nodes;
using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>20 steps of every optimizer variant match PyTorch 1.13's parameters after each step.</summary>
public class OptimizerParityTests
{
    static readonly JsonObject Fixtures = Fixture.Load("optimizers.json");

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Fixtures["cases"]!.AsArray();
        for (int i = 0; i < cases.Count; i++) data.Add(i, $"{cases[i]!["optimizer"]} {cases[i]!["settings"]!.ToJsonString()}");
        return data;
    }

    /// <summary>The settings of a fixture case, with conf/optim/&lt;name&gt;.yaml's defaults (PyTorch's) for the rest.</summary>
    public static OptimSettings Settings(string name, JsonObject s) => new OptimSettings
    {
        Name = name,
        Lr = s["lr"]!.GetValue<double>(),
        WeightDecay = s["weight_decay"]?.GetValue<double>() ?? (name == "adamw" ? 1e-2 : 0),
    }.WithOptions(name switch
    {
        "sgd" => new SgdOptions
        {
            Momentum = s["momentum"]?.GetValue<double>() ?? 0,
            Dampening = s["dampening"]?.GetValue<double>() ?? 0,
            Nesterov = s["nesterov"]?.GetValue<bool>() ?? false,
        },
        "adagrad" => new AdagradOptions
        {
            LrDecay = s["lr_decay"]?.GetValue<double>() ?? 0,
            InitialAccumulatorValue = s["initial_accumulator_value"]?.GetValue<double>() ?? 0,
            Eps = s["eps"]?.GetValue<double>() ?? 1e-10,
        },
        _ => new AdamOptions
        {
            Eps = s["eps"]?.GetValue<double>() ?? 1e-8,
            Betas = s["betas"]?.AsArray().Select(b => b!.GetValue<double>()).ToArray() ?? [0.9, 0.999],
            Amsgrad = s["amsgrad"]?.GetValue<bool>() ?? false,
        },
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void TwentyStepsMatchPyTorch(int index, string label)
    {
        var problem = Fixtures["problem"]!;
        var c = Fixtures["cases"]![index]!;
        using var x = Fixture.Tensor(problem["x"]);
        using var y = Fixture.Tensor(problem["y"]);
        var w = new TorchSharp.Modules.Parameter(Fixture.Tensor(problem["w"]));
        var b = new TorchSharp.Modules.Parameter(Fixture.Tensor(problem["b"]));
        var optimizer = OptimizerFactory.Create(Settings(c["optimizer"]!.GetValue<string>(), c["settings"]!.AsObject()), [w, b]);
        var steps = c["steps"]!.AsArray();
        Assert.Equal(20, steps.Count);
        for (int step = 0; step < steps.Count; step++)
        {
            optimizer.zero_grad();
            using (var scope = NewDisposeScope()) (x.matmul(w.t()) + b - y).square().mean().backward();
            optimizer.step();
            Fixture.Close(Fixture.Floats(steps[step]!["w"]), Fixture.Data(w), 1e-5, 1e-7, $"{label} step {step + 1} w");
            Fixture.Close(Fixture.Floats(steps[step]!["b"]), Fixture.Data(b), 1e-5, 1e-7, $"{label} step {step + 1} b");
        }
    }

    [Fact]
    public void ParametersMoveAwayFromTheStart()
    {
        // Guards the fixture itself: a case whose parameters never changed would make the parity test vacuous.
        var start = Fixture.Floats(Fixtures["problem"]!["w"]!["data"]);
        foreach (var c in Fixtures["cases"]!.AsArray())
        {
            var last = Fixture.Floats(c!["steps"]![19]!["w"]);
            Assert.True(start.Zip(last).Max(p => Math.Abs(p.First - p.Second)) > 1e-2, c["settings"]!.ToJsonString());
        }
    }
}
