using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using System.Text.RegularExpressions;
using Loom.Platform;

namespace Loom.Tests.Integration;

/// <summary>
/// MKL's kernels follow the CPU's features (<see cref="MklCpuDispatch"/>). With MKL_VERBOSE=1, MKL names at its first
/// call the instruction set of the kernels it chose: on a CPU with AVX-512 that must be AVX-512 — natively on Intel,
/// through Loom on AMD, where MKL alone takes its AVX2 path. With MKL_ENABLE_INSTRUCTIONS set, Loom leaves MKL's
/// choice alone.
/// </summary>
public sealed class MklKernelTests : IDisposable
{
    readonly LoomCli cli = new();
    public void Dispose() => cli.Dispose();

    static readonly bool CpuHasAvx512 = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;

    (string Kernels, string Log) Train(params (string Key, string Value)[] environment) => Train([], environment);

    (string Kernels, string Log) Train(string[] overrides, params (string Key, string Value)[] environment)
    {
        var info = cli.StartInfo(["train", "model=mlp", "data.limit=64", "epochs=1", "progress=none", "threads=1", $"loom.outputs={cli.Outputs}", .. overrides]);
        info.Environment["MKL_VERBOSE"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "loom train did not end");
        Assert.True(process.ExitCode == 0, stderr.Result);
        // "MKL_VERBOSE oneMKL 2024.0 Update 2 Product build 20240605 for Intel(R) 64 architecture <kernels>, Lnx 2.60GHz ..."
        var header = Regex.Match(stdout + stderr.Result, @"MKL_VERBOSE oneMKL .* architecture (.*), Lnx");
        Assert.True(header.Success, "no MKL_VERBOSE header: did the MLP run a matrix product through MKL?\n" + stdout);
        string log = File.ReadAllText(Path.Combine(Directory.GetDirectories(Path.Combine(cli.Outputs, "xps")).Single(), "train.log"));
        return (header.Groups[1].Value, log);
    }

    [Fact]
    public void MklRunsTheKernelsOfTheCpusInstructionSet()
    {
        var (kernels, log) = Train();
        Assert.True(kernels.Contains("AVX-512") == CpuHasAvx512, $"CPU has AVX-512: {CpuHasAvx512}; MKL chose: {kernels}");
        Assert.Equal(MklCpuDispatch.IsAmdWithAvx512(), log.Contains("MKL chooses its kernels by CPU features"));
    }

    [Fact]
    public void AUsersMklSettingIsKept()
    {
        var (kernels, log) = Train(("MKL_ENABLE_INSTRUCTIONS", "AVX2"));
        Assert.DoesNotContain("AVX-512", kernels);
        Assert.DoesNotContain("MKL chooses", log);
    }

    /// <summary>`loom.platform.mkl_dispatch=false` leaves MKL's code alone: on AMD it keeps its AVX2 path.</summary>
    [Fact]
    public void TheSwitchTurnsItOff()
    {
        var (kernels, log) = Train(["loom.platform.mkl_dispatch=false"]);
        if (MklCpuDispatch.IsAmdWithAvx512()) Assert.DoesNotContain("AVX-512", kernels);
        Assert.DoesNotContain("MKL chooses", log);
    }
}
