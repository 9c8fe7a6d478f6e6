using System.Diagnostics;

namespace Loom.Tests.Integration;

/// <summary>
/// `loom doctor`: one line per platform tweak (exit 0), each saying whether it applies here; each `loom.platform`
/// switch, and `adaptive_threads`, turns its tweak off in the real process (mallopt: glibc then mmaps an 8 MB block);
/// the switches are outside the XP signature; a bad key is one line, exit 2.
/// </summary>
public sealed class DoctorTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly string[] Tweaks = ["glibcxx", "mallopt", "mkl_dispatch", "thread_governor", "crash_points"];

    Dictionary<string, string> Doctor(params string[] overrides) => DoctorWithCrashAt(null, overrides);

    Dictionary<string, string> DoctorWithCrashAt(string? crashAt, params string[] overrides)
    {
        var info = cli.StartInfo(["doctor", .. overrides]);
        if (crashAt is not null) info.Environment["LOOM_TEST_ONLY_SIGKILL_AT"] = crashAt;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "loom doctor did not end");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr.Result}");
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(Tweaks, lines.Select(l => l.Split(':')[0]));
        return lines.ToDictionary(l => l.Split(':')[0], l => l[(l.IndexOf(':') + 2)..]);
    }

    [Fact]
    public void PrintsOneLinePerTweakWithItsStateAndWhy()
    {
        var lines = Doctor();
        foreach (var (tweak, line) in lines)
            Assert.Matches(@"^(applies|not needed|off|refused|ON) — \S", line);
        Assert.StartsWith("applies — mmap threshold 32 MB", lines["mallopt"]);
        Assert.EndsWith("an 8 MB block comes from the heap", lines["mallopt"]);
        Assert.StartsWith("applies — adaptive_threads: true", lines["thread_governor"]);
        Assert.StartsWith("off — LOOM_TEST_ONLY_SIGKILL_AT unset", lines["crash_points"]);
        Assert.Equal(Platform.MklCpuDispatch.IsAmdWithAvx512(), lines["mkl_dispatch"].StartsWith("applies"));
        // On Debian 12 (GLIBCXX_3.4.30) the requirement is weak, by the repo's build; where libstdc++ has it, nothing to do.
        Assert.Matches(@"^(applies — .* lacks GLIBCXX_3\.4\.32 \(_ZSt21ios_base_library_initv\), already weak|not needed — .* provides every version)", lines["glibcxx"]);
    }

    [Fact]
    public void EachSwitchTurnsItsTweakOff()
    {
        var lines = Doctor("loom.platform.mallopt=false", "loom.platform.mkl_dispatch=false", "loom.platform.glibcxx=false", "adaptive_threads=false");
        Assert.Equal("off — loom.platform.mallopt: false, glibc's thresholds: an 8 MB block is mmapped (and page-faulted afresh at each allocation)", lines["mallopt"]);
        Assert.Equal("off — loom.platform.mkl_dispatch: false, MKL's own choice is kept", lines["mkl_dispatch"]);
        Assert.StartsWith("off — adaptive_threads: false", lines["thread_governor"]);
        // Off means nothing is written: the repo's build already weakened the requirement, so doctor reports that.
        Assert.DoesNotMatch("now weak", lines["glibcxx"]);
    }

    [Fact]
    public void TheCrashVariableIsReportedAsTestOnly()
    {
        var lines = DoctorWithCrashAt("train.step");
        Assert.StartsWith("ON — LOOM_TEST_ONLY_SIGKILL_AT=train.step: this process kills itself (SIGKILL) there", lines["crash_points"]);
    }

    [Fact]
    public void TheSwitchesAreOutsideTheSignatureAndCheckedLikeAnyKey()
    {
        string Sig(params string[] overrides)
        {
            var info = cli.Run(["info", .. overrides, "--json"]);
            Assert.True(info.ExitCode == 0, info.Stderr);
            return info.Stdout.Split('"')[3];
        }
        Assert.Equal(Sig(), Sig("loom.platform.mallopt=false", "loom.platform.mkl_dispatch=false", "loom.platform.glibcxx=false"));
        foreach (var command in new[] { "doctor", "info" })
        {
            var bad = cli.Run(command, "loom.platform.mallopt=maybe");
            Assert.Equal(2, bad.ExitCode);
            Assert.Single(bad.Stderr.TrimEnd('\n').Split('\n'));
            Assert.Contains("loom.platform.mallopt", bad.Stderr);
        }
    }
}
