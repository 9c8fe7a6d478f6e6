using Loom.App;
using Outcome = Loom.App.MklCpuDispatch.Outcome;

namespace Loom.Tests.Unit;

/// <summary>When Loom overrides MKL's vendor dispatch: only on AMD with AVX-512, never over the user's MKL setting,
/// only for an MKL version whose vendor checks were verified.</summary>
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
    [InlineData("")]
    [InlineData(null)]
    public void AnUnverifiedMklIsLeftAlone(string? version) => Assert.Equal(Outcome.UnverifiedMkl, MklCpuDispatch.Decide(true, false, version));
}
