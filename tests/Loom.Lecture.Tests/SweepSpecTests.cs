using Loom.Reporting;
using Loom.Reporting.Plots;

namespace Loom.Lecture.Tests;

/// <summary>The `--metric 'METRIC vs KEY [per KEY]'` grammar that makes `loom plot` draw a sweep.</summary>
public sealed class SweepSpecTests
{
    [Fact]
    public void APlainMetricIsNotASweep() => Assert.Null(SweepSpec.TryParse("train.loss"));

    [Theory]
    [InlineData("train.loss vs model.reparam_lambda", "train.loss", "model.reparam_lambda", null)]
    [InlineData("test.accuracy  vs optim.weight_decay per optim", "test.accuracy", "optim.weight_decay", "optim")]
    public void ReadsMetricKeyAndLines(string text, string metric, string x, string? per) =>
        Assert.Equal(new SweepSpec(metric, x, per), SweepSpec.TryParse(text));

    [Theory]
    [InlineData("train.loss vs")]
    [InlineData("vs model.reparam_lambda")]
    [InlineData("train.loss vs lr per")]
    [InlineData("train.loss vs lr by optim")]
    public void AMalformedSweepIsOneLineNamingIt(string text)
    {
        var e = Assert.Throws<ReportException>(() => SweepSpec.TryParse(text));
        Assert.Contains(text, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
