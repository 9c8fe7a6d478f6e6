using Loom.Nn;
using Loom.Config;
using Loom.Optim.Schedules;
using Loom.Training;

namespace Loom.Optim.Tests;

/// <summary>The repo's conf/ groups bind, validate, and carry PyTorch's defaults.</summary>
public class ConfGroupTests
{
    static string Conf
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Directory.Build.props"))) return Path.Combine(dir.FullName, "conf");
            throw new InvalidOperationException("repository root not found");
        }
    }

    static ConfigNode Compose(params string[] overrides) => ConfigComposer.Compose(Conf, overrides).Config;

    [Fact]
    public void EveryOptimizerAndScheduleGroupValidates()
    {
        foreach (var optim in ConfigComposer.OptionsOf(Conf, "optim"))
            foreach (var schedule in ConfigComposer.OptionsOf(Conf, "schedule"))
            {
                var config = Compose($"optim={optim}", $"schedule={schedule}");
                var (o, s) = OptimCatalog.BuiltIn().Bind(config);
                OptimSettingsValidator.Validate(o, s, 5);
            }
        Assert.Equal(OptimizerFactory.Names.Order(), ConfigComposer.OptionsOf(Conf, "optim").Order());
        Assert.Equal(LrSchedule.Names.Order(), ConfigComposer.OptionsOf(Conf, "schedule").Order());
    }

    [Theory]
    [InlineData("sgd", 0.1, 1e-3, 1e-8)]    // the default XP: SGD lr 0.1, weight decay 1e-3
    [InlineData("adagrad", 1e-2, 0.0, 1e-10)] // PyTorch's Adagrad defaults
    [InlineData("adam", 1e-3, 0.0, 1e-8)]
    [InlineData("adamw", 1e-3, 1e-2, 1e-8)]
    public void OptimizerGroupsCarryPyTorchDefaults(string name, double lr, double weightDecay, double eps)
    {
        var (s, _) = OptimCatalog.BuiltIn().Bind(Compose($"optim={name}"));
        double ownEps = s.Options switch { AdamOptions a => a.Eps, AdagradOptions a => a.Eps, _ => 1e-8 }; // sgd has none
        Assert.Equal((name, lr, weightDecay, eps, 1, "none"), (s.Name, s.Lr, s.WeightDecay, ownEps, s.Accumulate, s.ScaleLr));
    }

    [Fact]
    public void TrainingUtilitiesAreOverridableUnderOptim()
    {
        var config = Compose("optim=adam", "optim.accumulate=4", "optim.clip_grad_norm=0.5", "optim.scale_lr=linear", "schedule=cosine", "schedule.warmup_steps=100", "model.spectral_norm=true");
        var (o, schedule) = OptimCatalog.BuiltIn().Bind(config);
        Assert.Equal((4, 0.5, "linear"), (o.Accumulate, o.ClipGradNorm, o.ScaleLr));
        Assert.Equal(100, schedule.WarmupSteps);
        Assert.True(config.Bind<ModelSettings>("model").SpectralNorm);
    }
}
