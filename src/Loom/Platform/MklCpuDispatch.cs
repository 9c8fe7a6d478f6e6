using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using TorchSharp;

namespace Loom.Platform;

/// <summary>
/// Lets MKL (linked into libtorch: every Linear layer's matrix product) run its AVX-512 kernels on AMD CPUs that
/// have AVX-512. MKL picks its kernels by CPU vendor before features: on AMD it takes its AVX2 "zen" path even on
/// Zen 4 and later, and Intel removed the switch that overrode this (MKL_DEBUG_CPU_TYPE, gone since 2020.1);
/// MKL_ENABLE_INSTRUCTIONS can only lower the choice. The known remedy is an LD_PRELOAD library whose
/// `mkl_serv_intel_cpu_true` returns 1, which needs an environment variable before the process starts; this does
/// the same in-process — it overwrites MKL's two vendor checks in libtorch's loaded code with `return 1` before
/// the first MKL call fixes its choice — after which MKL selects among its Intel kernels by the CPU's features
/// (cpuid), as it does on Intel CPUs. Measured here (docs/benchmarks.md): the MLP epoch 1.2× faster.
///
/// Only on x86-64 Linux, on AMD CPUs with AVX-512 (the measured case; on AVX2-only AMD CPUs MKL's zen path is
/// kept), only for the exact MKL build checked here (reading the version string does not fix MKL's choice), only
/// where each vendor check's ELF symbol is at least as long as the code written over it, and never
/// when the user set MKL_ENABLE_INSTRUCTIONS or MKL_CBWR: then MKL's code path is the user's choice. Written by
/// hand because no library does this; nothing in the file on disk changes.
/// </summary>
public static class MklCpuDispatch
{
    public enum Outcome
    {
        /// <summary>MKL now chooses by the CPU's features.</summary>
        Enabled,
        /// <summary>Not an AMD x86-64 Linux CPU with AVX-512: MKL's own choice is right (or untested) there.</summary>
        NotAmdWithAvx512,
        /// <summary>MKL_ENABLE_INSTRUCTIONS or MKL_CBWR is set: MKL's code path is the user's.</summary>
        UserChose,
        /// <summary>An MKL version whose vendor checks were not verified here (or no MKL in libtorch).</summary>
        UnverifiedMkl,
        /// <summary>The code could not be overwritten (mprotect refused).</summary>
        Failed,
        /// <summary>A vendor check's symbol is shorter than the code that would be written over it, or its size is
        /// unknown: writing would run into the next function, so nothing is written.</summary>
        FunctionTooSmall,
        /// <summary>Switched off (`loom.platform.mkl_dispatch: false`).</summary>
        Off,
    }

    /// <summary>MKL builds (the whole of MKL_Get_Version_String, compared exactly) whose two vendor checks were verified
    /// to be the whole of its vendor dispatch: patched, MKL_VERBOSE reports its AVX-512 kernels (libtorch 2.10). Another
    /// update of the same year may dispatch differently, so a prefix is not enough.</summary>
    public static readonly IReadOnlyList<string> VerifiedVersions =
        ["Intel(R) oneAPI Math Kernel Library Version 2024.2-Product Build 20240605 for Intel(R) 64 architecture applications"];

    /// <summary>MKL's vendor checks: `int f(void)`, nonzero for "GenuineIntel". Both are needed (only the first:
    /// MKL keeps its generic path; only the second: it falls to SSE2), and are overwritten in this order, so that a
    /// failure after the first leaves MKL on its own path.</summary>
    public static readonly IReadOnlyList<string> VendorChecks = ["mkl_serv_intel_cpu_true", "mkl_serv_intel_cpu"];

    static readonly byte[] ReturnOne = [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3]; // mov eax, 1; ret

    static readonly object Gate = new();
    static Outcome? applied;

    /// <summary>Applies the change once per process, before the first tensor operation; returns what it did. The first
    /// call decides: the code, once written, stays for the process's life.</summary>
    public static Outcome Configure(bool enabled = true)
    {
        lock (Gate) return applied ??= enabled ? Apply(write: true) : Outcome.Off;
    }

    /// <summary>What <see cref="Configure"/> would do on this machine, writing nothing (`loom doctor`); loads libtorch.</summary>
    public static Outcome Inspect(bool enabled = true)
    {
        lock (Gate) return applied ?? (enabled ? Apply(write: false) : Outcome.Off);
    }

    /// <summary>The decision, from the facts (pure).</summary>
    public static Outcome Decide(bool amdWithAvx512, bool userChoseMklPath, string? mklVersion) =>
        !amdWithAvx512 ? Outcome.NotAmdWithAvx512
        : userChoseMklPath ? Outcome.UserChose
        : mklVersion is null || !VerifiedVersions.Contains(mklVersion, StringComparer.Ordinal) ? Outcome.UnverifiedMkl
        : Outcome.Enabled;

    /// <summary>The decision with the vendor checks' ELF sizes (<paramref name="symbolSize"/>: st_size by name, null when
    /// unknown or absent): the bytes are written only over functions that hold them (pure).</summary>
    public static Outcome Decide(bool amdWithAvx512, bool userChoseMklPath, string? mklVersion, Func<string, long?> symbolSize)
    {
        var decision = Decide(amdWithAvx512, userChoseMklPath, mklVersion);
        return decision == Outcome.Enabled && !VendorChecks.All(check => FitsOver(symbolSize(check))) ? Outcome.FunctionTooSmall : decision;
    }

    /// <summary>True when a function of <paramref name="symbolSize"/> bytes (its ELF st_size; null: unknown) can take
    /// the <c>return 1</c> written over it without running into the next function.</summary>
    public static bool FitsOver(long? symbolSize) => symbolSize >= ReturnOne.Length;

    /// <summary>The outcome in a few words, for `loom doctor` and the one-line warning of a refusal.</summary>
    public static string Explain(Outcome outcome) => outcome switch
    {
        Outcome.Enabled => "MKL chooses its kernels by CPU features (AVX-512) on this AMD CPU",
        Outcome.NotAmdWithAvx512 => "not an AMD CPU with AVX-512 on Linux: MKL's own choice is kept",
        Outcome.UserChose => "MKL_ENABLE_INSTRUCTIONS or MKL_CBWR is set: MKL's path is the user's",
        Outcome.UnverifiedMkl => "refused: libtorch's MKL is not the build whose vendor checks were verified (MKL keeps its AVX2 path)",
        Outcome.Failed => "refused: mprotect would not make MKL's code writable (MKL keeps its AVX2 path)",
        Outcome.FunctionTooSmall => $"refused: a vendor check's ELF symbol is shorter than the {ReturnOne.Length} bytes to write, or has no size (MKL keeps its AVX2 path)",
        Outcome.Off => "loom.platform.mkl_dispatch: false, MKL's own choice is kept",
        _ => outcome.ToString(),
    };

    /// <summary>True for the outcomes that refuse on a machine where the change was meant to apply (a warning).</summary>
    public static bool Refused(Outcome outcome) => outcome is Outcome.UnverifiedMkl or Outcome.Failed or Outcome.FunctionTooSmall;

    /// <summary>True on an AMD x86-64 CPU whose AVX-512 (F, BW, DQ, VL) the OS enables.</summary>
    public static bool IsAmdWithAvx512() =>
        X86Base.IsSupported && Vendor() == "AuthenticAMD"
        && Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported;

    public static bool UserChoseMklPath() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MKL_ENABLE_INSTRUCTIONS"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MKL_CBWR"));

    static Outcome Apply(bool write)
    {
        if (!OperatingSystem.IsLinux() || !IsAmdWithAvx512()) return Outcome.NotAmdWithAvx512;
        if (UserChoseMklPath()) return Outcome.UserChose;
        torch.InitializeDeviceType(DeviceType.CPU); // TorchSharp loads libtorch (no MKL call yet)
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var libtorch)) return Outcome.UnverifiedMkl; // the loaded one, by its soname
        var checks = new Dictionary<string, nint>();
        foreach (var name in VendorChecks)
            if (NativeLibrary.TryGetExport(libtorch, name, out var address)) checks[name] = address;
        var decision = Decide(true, false, MklVersion(libtorch), name => checks.TryGetValue(name, out var address) ? LoadedSymbolSize(address) : null);
        if (decision != Outcome.Enabled || !write) return decision;
        foreach (var name in VendorChecks)
            if (!Overwrite(checks[name], ReturnOne)) return Outcome.Failed;
        return Outcome.Enabled;
    }

    static string Vendor()
    {
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> name = stackalloc byte[12];
        BitConverter.TryWriteBytes(name, ebx);
        BitConverter.TryWriteBytes(name[4..], edx);
        BitConverter.TryWriteBytes(name[8..], ecx);
        return Encoding.ASCII.GetString(name);
    }

    delegate void GetVersionString(byte[] buffer, int length);

    static string? MklVersion(nint libtorch)
    {
        if (!NativeLibrary.TryGetExport(libtorch, "MKL_Get_Version_String", out var function)) return null;
        var buffer = new byte[256];
        Marshal.GetDelegateForFunctionPointer<GetVersionString>(function)(buffer, buffer.Length);
        return Encoding.ASCII.GetString(buffer).TrimEnd('\0', ' ');
    }

    [StructLayout(LayoutKind.Sequential)]
    struct DlInfo
    {
        public nint FileName, FileBase, SymbolName, SymbolAddress;
    }

    const int RtldDlSyment = 1;
    const int SttFunc = 2;

    [DllImport("libc", EntryPoint = "dladdr1")]
    static extern int Dladdr1(nint address, out DlInfo info, out nint extra, int flags);

    /// <summary>The ELF st_size of the function that starts at <paramref name="function"/> in a loaded library, read
    /// from the loader's own symbol table (glibc's dladdr1 with RTLD_DL_SYMENT, so the 500 MB file is not read);
    /// null when the address is not the start of a function symbol or the C library has no dladdr1.</summary>
    public static long? LoadedSymbolSize(nint function)
    {
        try
        {
            if (Dladdr1(function, out var info, out var symbol, RtldDlSyment) == 0 || symbol == 0 || info.SymbolAddress != function) return null;
            // Elf64_Sym: st_name (4), st_info (1), st_other (1), st_shndx (2), st_value (8), st_size (8)
            if ((Marshal.ReadByte(symbol, 4) & 0xf) != SttFunc) return null;
            return Marshal.ReadInt64(symbol, 16);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    const int ProtRead = 1, ProtWrite = 2, ProtExec = 4;

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    static extern int Mprotect(nint address, nuint length, int protection);

    /// <summary>Writes <paramref name="code"/> over a loaded function: its pages writable (copy-on-write of the
    /// file's mapping), written, then read + execute again.</summary>
    static bool Overwrite(nint function, byte[] code)
    {
        long page = Environment.SystemPageSize;
        long start = function & ~(page - 1);
        long end = (function + code.Length + page - 1) & ~(page - 1);
        if (Mprotect((nint)start, (nuint)(end - start), ProtRead | ProtWrite | ProtExec) != 0) return false;
        Marshal.Copy(code, 0, function, code.Length);
        return Mprotect((nint)start, (nuint)(end - start), ProtRead | ProtExec) == 0;
    }
}
