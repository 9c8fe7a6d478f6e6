namespace Loom.Lecture.Tests;

/// <summary>The new key's and figure's bad input: one line naming the culprit, exit 2, nothing created.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("model.reparam_lambda=0", "model.reparam_lambda=0")]
    [InlineData("model.reparam_lambda=-2", "model.reparam_lambda=-2")]
    [InlineData("model.reparam_lambda=inf", "model.reparam_lambda=")]
    public void ANonPositiveLambdaIsRefused(string arg, string named)
    {
        using var loom = new LoomRun();
        var r = loom.Run(["train", arg, "data.limit=100", "epochs=1", "threads=1", "loom.outputs=" + loom.Outputs]);
        Assert.Equal(2, r.Code);
        Assert.Contains(named, r.Err);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(loom.Outputs), "a refused XP creates nothing");
    }

    [Fact]
    public void LambdaWithWeightNormIsRefused()
    {
        using var loom = new LoomRun();
        var r = loom.Run(["info", "model.reparam_lambda=10", "model.weight_norm=true"]);
        Assert.Equal(2, r.Code);
        Assert.Contains("model.weight_norm", r.Err);
    }
}
