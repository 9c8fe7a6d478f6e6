using System.Diagnostics;
using System.Runtime.InteropServices;
using Loom.Platform;
using Verdict = Loom.Platform.GlibcxxRequirement.Verdict;

namespace Loom.Tests.Unit;

/// <summary>
/// The libstdc++ requirement of TorchSharp's real libLibTorchSharp.so (a copy of the one beside this test), decided
/// against this machine's real libstdc++: only GLIBCXX_3.4.32 is marker-only; with the weak bit cleared, the switch
/// off writes nothing, on marks it weak exactly where this libstdc++ lacks the marker; a libstdc++ lacking real
/// functions is refused; the build task weakens only when asked (LoomGlibcxxBuildPatch) and whatever the build machine.
/// </summary>
public sealed class GlibcxxRequirementTests : IDisposable
{
    const string Marker = "_ZSt21ios_base_library_initv";
    readonly string folder = Directory.CreateTempSubdirectory("loom-glibcxx-").FullName;
    public void Dispose() => Directory.Delete(folder, recursive: true);

    static string Shipped => GlibcxxRequirement.Libraries(AppContext.BaseDirectory).First();

    /// <summary>A copy of the real library with every libstdc++ requirement strong again, as NuGet ships it.</summary>
    string StrongCopy()
    {
        string copy = Path.Combine(folder, "libLibTorchSharp.so");
        var bytes = File.ReadAllBytes(Shipped);
        foreach (var need in GlibcxxElf.Needs(bytes).Where(n => n.File == GlibcxxElf.LibStdCxx && n.Weak))
            bytes[need.FlagsOffset] &= unchecked((byte)~2);
        File.WriteAllBytes(copy, bytes);
        Assert.All(GlibcxxElf.Needs(bytes).Where(n => n.File == GlibcxxElf.LibStdCxx), n => Assert.False(n.Weak));
        return copy;
    }

    [Fact]
    public void OnlyTheMarkerNeedsGlibcxx3432AndEveryOtherVersionHasRealFunctions()
    {
        var needs = GlibcxxElf.Needs(File.ReadAllBytes(Shipped)).Where(n => n.File == GlibcxxElf.LibStdCxx).ToList();
        var marker = needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal([Marker], marker.Symbols);
        Assert.True(marker.OnlyMarkers);
        Assert.Contains(needs, n => n.Version == "GLIBCXX_3.4.30" && n.Symbols.Contains("_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE"));
        Assert.All(needs.Where(n => n != marker), n => Assert.False(n.OnlyMarkers, n.Version));
        Assert.True(needs.Sum(n => n.Symbols.Count) > 50); // every versioned import is counted, not only the first
    }

    [Fact]
    public void TheSwitchDecidesWhereThisLibstdcxxLacksTheMarker()
    {
        Assert.True(NativeLibrary.TryLoad(GlibcxxElf.LibStdCxx, out var libstdcxx));
        bool lacks = !GlibcxxRequirement.Provides(libstdcxx, Marker, "GLIBCXX_3.4.32");
        Assert.True(GlibcxxRequirement.Provides(libstdcxx, "_ZSt9terminatev", "GLIBCXX_3.4")); // dlvsym answers at all
        string copy = StrongCopy();
        var before = File.ReadAllBytes(copy);

        var off = GlibcxxRequirement.EnsureOne(copy, libstdcxx, enabled: false);
        Assert.Equal(lacks ? Verdict.NeededButOff : Verdict.Provided, off.Verdict);
        Assert.Equal(before, File.ReadAllBytes(copy));

        var on = GlibcxxRequirement.EnsureOne(copy, libstdcxx, enabled: true);
        Assert.Equal(lacks ? Verdict.Weakened : Verdict.Provided, on.Verdict);
        var after = GlibcxxElf.Needs(File.ReadAllBytes(copy)).Where(n => n.File == GlibcxxElf.LibStdCxx).ToList();
        Assert.Equal(lacks, after.Single(n => n.Version == "GLIBCXX_3.4.32").Weak);
        Assert.All(after.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.False(n.Weak, n.Version));
        Assert.Single(Directory.GetFiles(folder)); // no temporary left
        if (lacks) Assert.Equal(Verdict.AlreadyWeak, GlibcxxRequirement.EnsureOne(copy, libstdcxx, enabled: true).Verdict);
    }

    [Fact]
    public void ALibstdcxxLackingRealFunctionsIsRefusedAndNothingIsWritten()
    {
        // libm defines no GLIBCXX version at all: as a libstdc++ it lacks real functions.
        Assert.True(NativeLibrary.TryLoad("libm.so.6", out var libm));
        string copy = StrongCopy();
        var before = File.ReadAllBytes(copy);
        var result = GlibcxxRequirement.EnsureOne(copy, libm, enabled: true);
        Assert.Equal(Verdict.Refused, result.Verdict);
        Assert.Contains("GLIBCXX_3.4.30", result.Reason);
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheBuildWeakensOnlyWhenAskedAndWhateverItsMachine(bool asked)
    {
        string copy = StrongCopy();
        var before = File.ReadAllBytes(copy);
        string project = Path.Combine(folder, "patch.proj");
        File.WriteAllText(project, $"""
            <Project>
              <Import Project="{Path.Combine(Integration.LoomCli.RepoRoot, "build", "Loom.targets")}" />
              <Target Name="Build" />
            </Project>
            """);
        var info = new ProcessStartInfo("dotnet", ["msbuild", project, "-t:Build", "-nologo", "-v:m", $"-p:OutDir={folder}/", $"-p:LoomGlibcxxBuildPatch={asked}"])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var build = Process.Start(info)!;
        string output = build.StandardOutput.ReadToEnd() + build.StandardError.ReadToEnd();
        Assert.True(build.WaitForExit(TimeSpan.FromMinutes(3)), "msbuild did not end");
        Assert.True(build.ExitCode == 0, output);
        var needs = GlibcxxElf.Needs(File.ReadAllBytes(copy)).Where(n => n.File == GlibcxxElf.LibStdCxx).ToList();
        Assert.Equal(asked, needs.Single(n => n.Version == "GLIBCXX_3.4.32").Weak);
        Assert.All(needs.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.False(n.Weak, n.Version));
        if (!asked) Assert.Equal(before, File.ReadAllBytes(copy));
    }
}
