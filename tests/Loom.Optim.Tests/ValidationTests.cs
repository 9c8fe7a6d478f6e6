using Loom.Config;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim.Tests;

/// <summary>Invalid optimizer/schedule values are refused before training, one line naming the key.</summary>
public class ValidationTests
{
    public static TheoryData<string, OptimSettings, ScheduleSettings> Invalid() => new()
    {
        { "optim.lr=-0.1", new OptimSettings { Lr = -0.1 }, new ScheduleSettings() },
        { "optim.lr=0.0", new OptimSettings { Lr = 0 }, new ScheduleSettings() },
        { "optim.name=rmsprop", new OptimSettings { Name = "rmsprop" }, new ScheduleSettings() },
        { "optim.nesterov=true", new OptimSettings().WithOptions(new SgdOptions { Nesterov = true }), new ScheduleSettings() },
        { "optim.momentum=-0.5", new OptimSettings().WithOptions(new SgdOptions { Momentum = -0.5 }), new ScheduleSettings() },
        { "optim.weight_decay=-1.0", new OptimSettings { WeightDecay = -1 }, new ScheduleSettings() },
        { "optim.betas=[0.9, 1.0]", new OptimSettings { Name = "adam" }.WithOptions(new AdamOptions { Betas = [0.9, 1.0] }), new ScheduleSettings() },
        { "optim.betas=[-0.1, 0.999]", new OptimSettings { Name = "adamw" }.WithOptions(new AdamOptions { Betas = [-0.1, 0.999] }), new ScheduleSettings() },
        { "optim.betas=[0.9]", new OptimSettings { Name = "adam" }.WithOptions(new AdamOptions { Betas = [0.9] }), new ScheduleSettings() },
        { "optim.eps=-1e-08", new OptimSettings { Name = "adam" }.WithOptions(new AdamOptions { Eps = -1e-8 }), new ScheduleSettings() },
        { "optim.lr_decay=-0.1", new OptimSettings { Name = "adagrad" }.WithOptions(new AdagradOptions { LrDecay = -0.1 }), new ScheduleSettings() },
        { "optim.initial_accumulator_value=-1.0", new OptimSettings { Name = "adagrad" }.WithOptions(new AdagradOptions { InitialAccumulatorValue = -1 }), new ScheduleSettings() },
        { "optim.scale_lr=cubic", new OptimSettings { ScaleLr = "cubic" }, new ScheduleSettings() },
        { "optim.clip_grad_norm=0.0", new OptimSettings { ClipGradNorm = 0 }, new ScheduleSettings() },
        { "optim.clip_grad_value=-1.0", new OptimSettings { ClipGradValue = -1 }, new ScheduleSettings() },
        { "optim.accumulate=0", new OptimSettings { Accumulate = 0 }, new ScheduleSettings() },
        { "schedule.name=linear", new OptimSettings(), new ScheduleSettings { Name = "linear" } },
        { "schedule.gamma=0.0", new OptimSettings(), new ScheduleSettings { Name = "step" }.WithOptions(new StepLrOptions { Gamma = 0 }) },
        { "schedule.milestones=[10, 5]", new OptimSettings(), new ScheduleSettings { Name = "multistep" }.WithOptions(new MultiStepLrOptions { Milestones = [10, 5] }) },
        { "schedule.factor=1.0", new OptimSettings(), new ScheduleSettings { Name = "plateau" }.WithOptions(new ReduceLrOnPlateauOptions { Factor = 1 }) },
        { "schedule.threshold_mode=max", new OptimSettings(), new ScheduleSettings { Name = "plateau" }.WithOptions(new ReduceLrOnPlateauOptions { ThresholdMode = "max" }) },
        { "schedule.warmup_steps=10", new OptimSettings(), new ScheduleSettings { WarmupEpochs = 2, WarmupSteps = 10 } },
        { "schedule.warmup_start_factor=0.0", new OptimSettings(), new ScheduleSettings { WarmupEpochs = 2, WarmupStartFactor = 0 } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RefusedWithOneLineNamingTheKey(string keyValue, OptimSettings optim, ScheduleSettings schedule)
    {
        var e = Assert.Throws<ConfigException>(() => OptimSettingsValidator.Validate(optim, schedule, epochs: 5));
        Assert.StartsWith(keyValue + ":", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void DefaultsAndEveryConfGroupAreValid()
    {
        OptimSettingsValidator.Validate(new OptimSettings(), new ScheduleSettings(), 5);
        foreach (var name in OptimizerFactory.Names)
            OptimSettingsValidator.Validate(new OptimSettings { Name = name }, new ScheduleSettings(), 5);
        OptimSettingsValidator.Validate(new OptimSettings().WithOptions(new SgdOptions { Momentum = 0.9, Nesterov = true }), new ScheduleSettings(), 5);
        foreach (var name in LrSchedule.Names)
            OptimSettingsValidator.Validate(new OptimSettings(), name == "multistep" ? new ScheduleSettings { Name = name }.WithOptions(new MultiStepLrOptions { Milestones = [3, 6] }) : new ScheduleSettings { Name = name }, 5);
    }
}
