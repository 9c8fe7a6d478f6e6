namespace Loom.Grids.Tests;

/// <summary>`loom grid` on bad input and on the flags that must not run anything; no training involved.</summary>
public sealed class CliInputTests
{
    static void OneLineError(Cli.Result r, string expected)
    {
        Assert.Equal(2, r.Code);
        var line = Assert.Single(r.Err.Trim().Split('\n'));
        Assert.StartsWith("loom: error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void AnUnknownGridListsTheGrids()
    {
        using var cli = new Cli();
        OneLineError(cli.Run("grid", "nope"), "no grid named 'nope'; the grids are: lecture, lecture_adamw,");
        Assert.False(Directory.Exists(cli.Outputs));
    }

    [Fact]
    public void GridWithoutANameListsTheGridsWithTheirDescriptions()
    {
        using var cli = new Cli();
        var r = cli.Run("grid");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("smoke ") && l.EndsWith("2 tiny MLP runs (seconds)"));
        Assert.Contains(lines, l => l.StartsWith("lecture ") && l.Contains("batch_size {32,64}"));
        Assert.False(Directory.Exists(cli.Outputs));
    }

    [Fact]
    public void AThrowingGridShowsItsFileAndLine()
    {
        using var cli = new Cli();
        OneLineError(cli.Run("grid", "throwing", "--grids", Cli.TestAssembly), $"TestGrids.cs:{ThrowingGrid.Line}: boom in the grid");
    }

    [Theory]
    [InlineData("!", "pattern '!' is empty")]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("12", "index 12 is out of range")]
    public void BadPatternsAndFlagsAreOneLineErrorsThatChangeNothing(string pattern, string expected)
    {
        using var cli = new Cli();
        OneLineError(cli.Run("grid", "smoke", pattern, "--jobs", "1"), expected);
        Assert.False(Directory.Exists(cli.Outputs)); // not even the scheduler's store
    }

    [Theory]
    [InlineData("--jobs", "abc", "Cannot parse argument 'abc' for option '--jobs'")]
    [InlineData("--jobs", "0", "--jobs 0: expected a positive number")]
    [InlineData("-i", "0", "-i 0: expected a positive number of minutes")]
    public void BadFlagValuesAreOneLineErrors(string flag, string value, string expected)
    {
        using var cli = new Cli();
        OneLineError(cli.Run("grid", "smoke", flag, value), expected);
        Assert.False(Directory.Exists(cli.Outputs));
    }

    [Fact]
    public void DryRunSaysWhatItWouldDoAndInitWritesTheFolders()
    {
        using var cli = new Cli();
        var dry = cli.Run("grid", "smoke", "--dry-run", "--no-monitor");
        Assert.Equal(0, dry.Code);
        Assert.Equal(2, dry.Out.Split('\n').Count(l => l.StartsWith("[dry run] would submit ")));
        Assert.False(Directory.Exists(Path.Combine(cli.Outputs, "xps")));
        Assert.Empty(cli.JobCounts());

        var cancelled = cli.Run("grid", "smoke", "--init", "-C"); // -C: cancel (nothing to cancel), submits nothing
        Assert.Equal(0, cancelled.Code);
        Assert.Empty(cli.JobCounts());
        var argvs = Directory.GetFiles(Path.Combine(cli.Outputs, "xps"), ".argv.json", SearchOption.AllDirectories);
        Assert.Equal(2, argvs.Length);
        string sig = Path.GetFileName(Path.GetDirectoryName(argvs[0]))!;
        Assert.Contains(sig, cli.Run("info", "-f", sig).Out);
        OneLineError(cli.Run("info", "-f", sig, "-m"), "has no metrics yet");
    }
}
