using Loom.Platform;
using Outcome = Loom.Platform.MklCpuDispatch.Outcome;

namespace Loom.Tests.Unit;

/// <summary>When Loom overrides MKL's vendor dispatch: only on AMD with AVX-512, never over the user's MKL setting,
/// only for the exact MKL build whose vendor checks were verified, only over functions long enough for the code.</summary>
public sealed class MklCpuDispatchTests
{
    const string Verified = "Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build 20240605 for Intel(R) 64 architecture applications";

    [Fact]
    public void AnAmdCpuWithAvx512AndAVerifiedMklIsEnabled() => Assert.Equal(Outcome.Enabled, MklCpuDispatch.Decide(true, false, Verified));

    [Fact]
    public void OtherCpusKeepMklsChoice() => Assert.Equal(Outcome.NotAmdWithAvx512, MklCpuDispatch.Decide(false, false, Verified));

    [Fact]
    public void TheUsersSettingWins() => Assert.Equal(Outcome.UserChose, MklCpuDispatch.Decide(true, true, Verified));

    [Theory]
    [InlineData("Intel(R) oneAPI Math Kernel Library Version 2025.0-Product Build 20241031 for Intel(R) 64 architecture applications")]
    [InlineData("Intel(R) Math Kernel Library Version 2020.0.0 Product Build 20191122 for Intel(R) 64 architecture applications")]
    [InlineData("Intel(R) oneAPI Math Kernel Library Version 2024.0-Product Build 20231011 for Intel(R) 64 architecture applications")]
    [InlineData("Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build 20250101 for Intel(R) 64 architecture applications")]
    [InlineData("Intel(R) oneAPI Math Kernel Library Version 2024.")]
    [InlineData("")]
    [InlineData(null)]
    public void AnUnverifiedMklIsLeftAlone(string? version) => Assert.Equal(Outcome.UnverifiedMkl, MklCpuDispatch.Decide(true, false, version));

    [Theory]
    [InlineData(6L, true)]
    [InlineData(98L, true)]
    [InlineData(5L, false)]
    [InlineData(0L, false)]
    [InlineData(null, false)]
    public void OnlyAFunctionLongEnoughIsOverwritten(long? size, bool fits) => Assert.Equal(fits, MklCpuDispatch.FitsOver(size));

    /// <summary>The size comes from the loader's symbol table of the real libtorch: MKL's vendor checks are there, long
    /// enough, and an address inside a function (not its start) gives no size.</summary>
    [Fact]
    public void TheLoadedVendorChecksHaveTheirElfSizes()
    {
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU);
        Assert.True(System.Runtime.InteropServices.NativeLibrary.TryLoad("libtorch_cpu.so", out var libtorch));
        foreach (var name in new[] { "mkl_serv_intel_cpu_true", "mkl_serv_intel_cpu" })
        {
            Assert.True(System.Runtime.InteropServices.NativeLibrary.TryGetExport(libtorch, name, out var function), name);
            Assert.True(MklCpuDispatch.LoadedSymbolSize(function) is >= 6 and < 4096, $"{name}: {MklCpuDispatch.LoadedSymbolSize(function)}");
            Assert.Null(MklCpuDispatch.LoadedSymbolSize(function + 1));
        }
    }

    /// <summary>The whole decision with a fake symbol table: a vendor check shorter than the 6 bytes (or absent) refuses,
    /// and nothing is decided from sizes on machines where the change does not apply anyway.</summary>
    [Theory]
    [InlineData(98L, 98L, Outcome.Enabled)]
    [InlineData(98L, 5L, Outcome.FunctionTooSmall)]
    [InlineData(3L, 98L, Outcome.FunctionTooSmall)]
    [InlineData(null, 98L, Outcome.FunctionTooSmall)]
    public void AWrongSymbolSizeRefuses(long? first, long? second, Outcome expected)
    {
        var table = new Dictionary<string, long?> { ["mkl_serv_intel_cpu_true"] = first, ["mkl_serv_intel_cpu"] = second };
        Assert.Equal(expected, MklCpuDispatch.Decide(true, false, Verified, name => table.GetValueOrDefault(name)));
        Assert.Equal(Outcome.NotAmdWithAvx512, MklCpuDispatch.Decide(false, false, Verified, name => table.GetValueOrDefault(name)));
        Assert.Equal(expected != Outcome.Enabled, MklCpuDispatch.Refused(expected));
    }

    [Fact]
    public void TheOffSwitchIsOneOfTheOutcomesAndNotARefusal()
    {
        Assert.False(MklCpuDispatch.Refused(Outcome.Off));
        Assert.Contains("loom.platform.mkl_dispatch: false", MklCpuDispatch.Explain(Outcome.Off));
    }
}
