using System.Runtime.InteropServices;

namespace Loom.Platform;

/// <summary>
/// Makes TorchSharp's libLibTorchSharp.so loadable on the machine that runs, decided there, before libtorch loads:
/// for each libstdc++ version the library needs (without the weak bit), every symbol bound to that version is looked
/// up in the libstdc++ this process's loader finds (dlvsym, so no distribution's path is assumed). Where one is
/// missing and every such symbol is a never-called marker (build/PatchGlibcxxRequirement.cs: GCC 13's
/// `ios_base_library_init` on Debian 12), the requirement is marked weak in the file (atomic copy and rename);
/// where a real function is missing nothing is written and the result says so. On a machine whose libstdc++ has
/// every version, nothing changes. Switch: `loom.platform.glibcxx`.
/// </summary>
public static class GlibcxxRequirement
{
    public enum Verdict
    {
        /// <summary>This machine's libstdc++ has every symbol at its version (or the requirement is already weak).</summary>
        Provided,
        /// <summary>A marker-only version is missing here and already weak in the file (by the build, or an earlier run).</summary>
        AlreadyWeak,
        /// <summary>A marker-only version was missing here: now weak in the library file.</summary>
        Weakened,
        /// <summary>A marker-only version is missing here and the switch is off: TorchSharp will not load.</summary>
        NeededButOff,
        /// <summary>A version needed by a real function is missing here: weakening would only defer the failure.</summary>
        Refused,
        /// <summary>No libLibTorchSharp.so beside the app, not Linux, or no libstdc++ to ask.</summary>
        NotApplicable,
        /// <summary>The library file could not be rewritten (read-only folder).</summary>
        Failed,
    }

    /// <param name="Verdict">What was (or would be) done.</param>
    /// <param name="Reason">One line: which library, which versions and symbols, which libstdc++.</param>
    public sealed record Result(Verdict Verdict, string Reason);

    /// <summary>The libLibTorchSharp.so files TorchSharp may load in this app: beside it, or in its runtimes/ folder.</summary>
    public static IEnumerable<string> Libraries(string appDirectory) =>
        new[] { Path.Combine(appDirectory, "libLibTorchSharp.so"), Path.Combine(appDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so") }
            .Where(File.Exists);

    /// <summary>Checks (and when <paramref name="enabled"/>, fixes) every library of the app; before libtorch loads.</summary>
    public static Result Ensure(bool enabled = true, string? appDirectory = null)
    {
        if (!OperatingSystem.IsLinux()) return new(Verdict.NotApplicable, "not Linux");
        var libraries = Libraries(appDirectory ?? AppContext.BaseDirectory).ToList();
        if (libraries.Count == 0) return new(Verdict.NotApplicable, "no libLibTorchSharp.so beside the app");
        if (!NativeLibrary.TryLoad(GlibcxxElf.LibStdCxx, out var libstdcxx)) return new(Verdict.NotApplicable, $"the loader finds no {GlibcxxElf.LibStdCxx}");
        var results = libraries.Select(library => EnsureOne(library, libstdcxx, enabled)).ToList();
        return results.FirstOrDefault(r => r.Verdict != Verdict.Provided) ?? results[0];
    }

    /// <summary>Checks one library file against the libstdc++ behind <paramref name="libstdcxx"/> (a dlopen handle).</summary>
    public static Result EnsureOne(string library, nint libstdcxx, bool enabled)
    {
        string where = LoadedFrom(libstdcxx);
        var absent = GlibcxxElf.Needs(File.ReadAllBytes(library)).Where(need => need.File == GlibcxxElf.LibStdCxx)
            .Select(need => (need, absent: need.Symbols.Where(symbol => !Provides(libstdcxx, symbol, need.Version)).ToList()))
            .Where(n => n.absent.Count > 0).ToList();
        var missing = absent.Where(n => !n.need.Weak).ToList();
        if (absent.Count == 0) return new(Verdict.Provided, $"{where} provides every version {Path.GetFileName(library)} needs");
        if (missing.Count == 0) return new(Verdict.AlreadyWeak, $"{where} lacks {Describe(absent)}, already weak in {library} (a never-called marker)");
        static string Describe(IEnumerable<(VersionNeed need, List<string> absent)> needs) =>
            string.Join("; ", needs.Select(n => $"{n.need.Version} ({string.Join(", ", n.absent)})"));
        var real = missing.Where(n => !n.need.OnlyMarkers).ToList();
        if (real.Count > 0) return new(Verdict.Refused, $"{where} lacks {Describe(real)}, needed by {library}: not only never-called markers, left as is (TorchSharp cannot load here)");
        string what = $"{where} lacks {Describe(missing)}, a never-called marker of {library}";
        if (!enabled) return new(Verdict.NeededButOff, $"{what}; off (loom.platform.glibcxx: false), so TorchSharp will not load");
        try
        {
            foreach (var (need, _) in missing) GlibcxxElf.MarkWeak(library, need);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(Verdict.Failed, $"{what}; could not rewrite it: {e.Message}");
        }
        return new(Verdict.Weakened, $"{what}: its requirement is now weak");
    }

    [DllImport("libc", EntryPoint = "dlvsym")]
    static extern nint Dlvsym(nint handle, string symbol, string version);

    [StructLayout(LayoutKind.Sequential)]
    struct DlInfo
    {
        public nint FileName, FileBase, SymbolName, SymbolAddress;
    }

    [DllImport("libc", EntryPoint = "dladdr")]
    static extern int Dladdr(nint address, out DlInfo info);

    /// <summary>True when the libstdc++ behind <paramref name="handle"/> defines <paramref name="symbol"/> at <paramref name="version"/>.</summary>
    public static bool Provides(nint handle, string symbol, string version)
    {
        try
        {
            return Dlvsym(handle, symbol, version) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc: no symbol versions to ask about
        }
    }

    /// <summary>The file the loader took libstdc++ from, for the message (its name when unknown).</summary>
    static string LoadedFrom(nint handle)
    {
        try
        {
            if (NativeLibrary.TryGetExport(handle, "_ZSt9terminatev", out var symbol) && Dladdr(symbol, out var info) != 0 && info.FileName != 0)
                return Marshal.PtrToStringUTF8(info.FileName) ?? GlibcxxElf.LibStdCxx;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        return GlibcxxElf.LibStdCxx;
    }
}
