namespace Loom.App.Tests;

/// <summary>
/// The `loom` that README command 1 publishes (ReadyToRun) runs without tiered compilation: with tiering, the JIT
/// thread re-compiling hot methods took the core of libtorch's second OpenMP thread (a small MLP's epoch 1.37×
/// slower, docs/benchmarks.md). The plain build keeps tiering, or it would JIT every method fully at start-up.
/// Read from MSBuild's evaluation of the real project, as the publish sees it.
/// </summary>
public sealed class PublishSettingsTests
{
    static string Property(string name, params string[] globals)
    {
        var r = Shell.Ok(Shell.Run(Shell.RepoRoot, "dotnet",
            ["msbuild", "src/Loom.Cli/Loom.Cli.csproj", $"-getProperty:{name}", .. globals.Select(g => "-p:" + g)], 120), "msbuild -getProperty");
        return r.Stdout.Trim();
    }

    [Fact]
    public void TheReadyToRunPublishTurnsTieredCompilationOff() =>
        Assert.Equal("false", Property("TieredCompilation", "PublishReadyToRun=true", "Configuration=Release"));

    [Fact]
    public void ThePlainBuildKeepsTieredCompilation() =>
        Assert.NotEqual("false", Property("TieredCompilation", "Configuration=Release"));
}
