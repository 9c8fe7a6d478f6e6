using Loom.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Loom.Optim.Tests;

/// <summary>
/// Parameter groups: the LR schedule scales each group's LR (their ratio holds through warm-up and cosine decay), each
/// group keeps its own weight decay, and `optim.no_decay_norm_and_bias` exempts biases and normalization layers.
/// </summary>
public class ParameterGroupTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adagrad")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void TwoGroupsKeepTheirLrRatioThroughWarmUpAndCosine(string name)
    {
        manual_seed(1);
        var body = nn.Linear(4, 4);
        var head = nn.Linear(4, 2);
        var optim = new OptimSettings { Name = name, Lr = 0.2, WeightDecay = 1e-3 };
        var schedule = new ScheduleSettings { Name = "cosine", WarmupSteps = 5, WarmupStartFactor = 0.1 };
        IReadOnlyList<ParameterGroup> groups = [new(head.parameters().ToList()), new(body.parameters().ToList()) { LrScale = 0.1, WeightDecay = 0 }];
        var catalog = OptimCatalog.BuiltIn();
        var optimizer = catalog.Optimizer(name).Create(optim, groups);
        var lr = LrController.Create(catalog, schedule, optim, 32, epochs: 4, maximize: false, groups.Select(g => g.LrScale).ToList());
        var seen = new List<double>();
        var x = randn(8, 4);
        for (int epoch = 0; epoch < 4; epoch++)
            for (int step = 0; step < 3; step++)
            {
                optimizer.zero_grad();
                head.forward(body.forward(x)).square().mean().backward();
                lr.Apply(optimizer, epoch);
                var rates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
                Assert.Equal(lr.Current, rates[0]); // the scheduled LR itself, as with one group
                Assert.Equal(0.1, rates[1] / rates[0], 12);
                seen.Add(rates[0]);
                optimizer.step();
                lr.Stepped();
            }
        Assert.True(seen[0] < seen[4], "the warm-up raises the LR");
        Assert.True(seen[^1] < seen[5], "the cosine lowers it");
    }

    [Fact]
    public void EachGroupKeepsItsOwnWeightDecay()
    {
        var a = nn.Linear(3, 3);
        var b = nn.Linear(3, 3);
        var optim = new OptimSettings { Name = "adamw", Lr = 1e-3, WeightDecay = 0.05 };
        var optimizer = OptimCatalog.BuiltIn().Optimizer("adamw").Create(optim, [new(a.parameters().ToList()), new(b.parameters().ToList()) { WeightDecay = 0 }]);
        var decays = optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().Select(g => g.Options.weight_decay).ToArray();
        Assert.Equal(new double?[] { 0.05, 0 }, decays);
    }

    [Fact]
    public void NoDecayForNormsAndBiasesExemptsExactlyThem()
    {
        var model = nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("flat", nn.Flatten()), ("fc", nn.Linear(4, 2)), ("ln", nn.LayerNorm(2)));
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.Handle);
        var groups = ParameterGroup.Default(model, model.parameters(), new OptimSettings { NoDecayNormAndBias = true, WeightDecay = 0.1 });
        Assert.Equal(2, groups.Count);
        Assert.Equal(["conv.weight", "fc.weight"], Names(groups[0]));
        Assert.Equal(["conv.bias", "bn.weight", "bn.bias", "fc.bias", "ln.weight", "ln.bias"], Names(groups[1]));
        Assert.Equal((null, 0.0), (groups[0].WeightDecay, groups[1].WeightDecay));
        Assert.Single(ParameterGroup.Default(model, model.parameters(), new OptimSettings()));

        string[] Names(ParameterGroup g) => g.Parameters.Select(p => named.First(kv => kv.Value == p.Handle).Key).ToArray();
    }
}
