using Loom.Config;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim.Tests;

/// <summary>
/// The binder takes the named option's closed record: a key that neither the shared part nor that record declares is
/// refused (another option's key with who uses it, anything else with a did-you-mean), a registered option's keys bind
/// to its own record, and Loom's own options are entries of the same catalogue.
/// </summary>
public class OptimCatalogTests
{
    static ConfigNode Config(string yaml) => YamlLoader.Load(yaml, "test.yaml");

    /// <summary>A registered optimizer whose own keys are `alpha` and `centered`.</summary>
    sealed record TestOptions
    {
        public double Alpha { get; init; } = 0.99;
        public bool Centered { get; init; }
    }

    sealed class TestSpec() : OptimizerSpec<TestOptions>("test")
    {
        public override void Validate(OptimSettings s, TestOptions o) => SettingCheck.Require(o.Alpha is > 0 and < 1, "optim.alpha", o.Alpha, "expected a number in (0, 1)");

        public override TorchSharp.Modules.OptimizerHelper Create(OptimSettings s, TestOptions o, IReadOnlyList<ParameterGroup> groups) =>
            TorchSharp.torch.optim.RMSProp(groups[0].Parameters, s.Lr, o.Alpha, centered: o.Centered);
    }

    static OptimCatalog WithTest() => OptimCatalog.BuiltIn().Add(new TestSpec());

    [Theory]
    [InlineData("optim: {name: adam, lr: 0.001, momentum: 0.9}",
        "optim.momentum: not a setting of the adam optimizer (only sgd use it); adam reads lr, weight_decay, scale_lr, reference_batch_size, clip_grad_norm, clip_grad_value, accumulate, nonfinite, max_skips, no_decay_norm_and_bias, betas, eps, amsgrad")]
    [InlineData("schedule: {name: cosine, gamma: 0.5}",
        "schedule.gamma: not a setting of the cosine schedule (only step, multistep, exponential use it); cosine reads warmup_epochs, warmup_steps, warmup_start_factor, t_max, eta_min")]
    [InlineData("optim: {name: sgd, momentun: 0.9}", "key 'optim.momentun' is not a setting of optim (did you mean optim.momentum?)")]
    [InlineData("optim: {name: test, alpah: 0.9}", "key 'optim.alpah' is not a setting of optim (did you mean optim.alpha?)")]
    [InlineData("optim: {name: sgd, alpha: 0.9}", "optim.alpha: not a setting of the sgd optimizer (only test use it); sgd reads lr, weight_decay, scale_lr, reference_batch_size, clip_grad_norm, clip_grad_value, accumulate, nonfinite, max_skips, no_decay_norm_and_bias, momentum, dampening, nesterov")]
    [InlineData("optim: {name: rmsprop}", "optim.name=rmsprop: unknown optimizer (expected one of sgd, adagrad, adam, adamw, test)")]
    [InlineData("optim: {name: 5}", "key 'optim.name': value 5 is not a string")]
    [InlineData("schedule: {name: linear}", "schedule.name=linear: unknown schedule (expected one of none, step, multistep, exponential, cosine, plateau)")]
    public void AKeyTheNamedOptionDoesNotDeclareIsRefusedInOneLine(string yaml, string message)
    {
        var e = Assert.Throws<ConfigException>(() => WithTest().Bind(Config(yaml)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ARegisteredOptimizersKeysBindToItsRecordAndAreValidatedByItsSpec()
    {
        var catalog = WithTest();
        var (optim, _) = catalog.Bind(Config("optim: {name: test, lr: 0.01, alpha: 0.5, centered: true, clip_grad_norm: 1.0}"));
        Assert.Equal((0.01, 1.0), (optim.Lr, optim.ClipGradNorm));
        Assert.Equal(new TestOptions { Alpha = 0.5, Centered = true }, optim.Options);
        catalog.Validate(optim, new ScheduleSettings(), 5);

        var (bad, _) = catalog.Bind(Config("optim: {name: test, alpha: 1.5}"));
        Assert.Equal("optim.alpha=1.5: expected a number in (0, 1)", Assert.Throws<ConfigException>(() => catalog.Validate(bad, new ScheduleSettings(), 5)).Message);
        Assert.Throws<InvalidOperationException>(() => catalog.Add(new TestSpec())); // a name is registered once
    }

    [Fact]
    public void LoomsOwnOptionsBindToTheirRecords()
    {
        var (optim, schedule) = OptimCatalog.BuiltIn().Bind(Config("optim: {name: sgd, lr: 0.1, momentum: 0.9, nesterov: true}\nschedule: {name: step, step_size: 3, warmup_epochs: 1}"));
        Assert.Equal(new SgdOptions { Momentum = 0.9, Nesterov = true }, optim.Options);
        Assert.Equal(new StepLrOptions { StepSize = 3 }, schedule.Options);
        Assert.Equal(1, schedule.WarmupEpochs);
        // Each spec reads only its own record: another's, given in code, is refused rather than read as defaults.
        var mixed = new OptimSettings { Name = "adam" }.WithOptions(new SgdOptions { Momentum = 0.9 });
        Assert.Equal("optim.name=adam reads AdamOptions, but the settings hold a SgdOptions",
            Assert.Throws<ArgumentException>(() => OptimCatalog.BuiltIn().Validate(mixed, new ScheduleSettings(), 5)).Message);
        Assert.Equal(OptimizerFactory.Names, OptimCatalog.BuiltIn().OptimizerNames);
        Assert.Equal(LrSchedule.Names, OptimCatalog.BuiltIn().ScheduleNames);
        Assert.Equal(["plateau"], OptimCatalog.BuiltIn().ScheduleNames.Where(n => OptimCatalog.BuiltIn().Schedule(n).NeedsMetric)); // the trainer then requires a monitor
    }
}
