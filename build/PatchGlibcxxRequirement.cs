// Lets TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ predates GCC 13 (Debian 12 ships
// GLIBCXX_3.4.30). One source, compiled twice: by MSBuild's RoslynCodeTaskFactory as the build task below (an
// app's build opts in with LoomGlibcxxBuildPatch=true; build/Loom.targets), and into Loom.dll (LOOM_LIBRARY) where
// Loom.Platform.GlibcxxRequirement decides at run time, on the machine that runs, with the loader's own libstdc++.
//
// The library asks for version GLIBCXX_3.4.32 only for `_ZSt21ios_base_library_initv`, a marker symbol that is
// never called. Marking that version requirement weak (VER_FLG_WEAK in the Vernaux entry of .gnu.version_r) makes
// the dynamic loader accept its absence; where the version exists the loader checks it as before. Only a
// requirement whose every symbol (.dynsym entries whose .gnu.version index is that Vernaux's) is such a marker is
// ever weakened: a real function of a missing version would fail at its first call instead of at load. No library
// does this ELF edit for us and the fresh machine has no python3/patchelf, so it is written here.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

#if !LOOM_LIBRARY
public class PatchGlibcxxRequirement : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public string LibraryPath { get; set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(LibraryPath)) return true;
        byte[] elf = File.ReadAllBytes(LibraryPath);
        if (!Loom.Platform.GlibcxxElf.IsElf64(elf))
        {
            Log.LogError($"{LibraryPath}: not a little-endian ELF64 file");
            return false;
        }
        foreach (var need in Loom.Platform.GlibcxxElf.StrongLibStdCxxNeeds(elf))
        {
            if (!need.OnlyMarkers) continue; // a real function's version: the loader must check it
            Loom.Platform.GlibcxxElf.MarkWeak(LibraryPath, need);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"Loom: marked {need.Version} weak in {LibraryPath}");
        }
        return true;
    }
}
#endif

namespace Loom.Platform
{
    /// <summary>One version an ELF file needs from a library (a Vernaux entry of .gnu.version_r), with the symbols bound to it.</summary>
    public sealed class VersionNeed
    {
        public string File = "";
        public string Version = "";
        public bool Weak;
        /// <summary>Where the entry's vna_flags sit in the file.</summary>
        public long FlagsOffset;
        public List<string> Symbols = new List<string>();
        /// <summary>True when every symbol needing this version is a known never-called marker.</summary>
        public bool OnlyMarkers => Symbols.Count > 0 && Symbols.All(s => GlibcxxElf.NeverCalledMarkers.Contains(s));
    }

    /// <summary>Reads the version requirements of a little-endian ELF64 file and marks one weak.</summary>
    public static class GlibcxxElf
    {
        /// <summary>Symbols a library references only to force a link (never called), so their version may be absent.</summary>
        public static readonly string[] NeverCalledMarkers = { "_ZSt21ios_base_library_initv" };

        public const string LibStdCxx = "libstdc++.so.6";
        const uint ShtDynsym = 11, ShtGnuVersym = 0x6fffffff, ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        public static bool IsElf64(byte[] elf) =>
            elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;

        /// <summary>The libstdc++ versions the file needs without the weak bit.</summary>
        public static IEnumerable<VersionNeed> StrongLibStdCxxNeeds(byte[] elf) => Needs(elf).Where(n => n.File == LibStdCxx && !n.Weak);

        /// <summary>Every Vernaux entry of the file, each with the dynamic symbols bound to its version index.</summary>
        public static List<VersionNeed> Needs(byte[] elf)
        {
            var needs = new List<VersionNeed>();
            if (!IsElf64(elf)) throw new InvalidDataException("not a little-endian ELF64 file");
            long shoff = BitConverter.ToInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
            long Section(int i) => shoff + (long)i * shentsize;
            uint Type(int i) => BitConverter.ToUInt32(elf, (int)Section(i) + 4);
            long Offset(int i) => BitConverter.ToInt64(elf, (int)Section(i) + 0x18);
            long Size(int i) => BitConverter.ToInt64(elf, (int)Section(i) + 0x20);
            int Link(int i) => (int)BitConverter.ToUInt32(elf, (int)Section(i) + 0x28);

            var byIndex = new Dictionary<int, VersionNeed>();
            int dynsym = -1, versym = -1;
            for (int i = 0; i < shnum; i++)
            {
                if (Type(i) == ShtDynsym) dynsym = i;
                if (Type(i) == ShtGnuVersym) versym = i;
                if (Type(i) != ShtGnuVerneed) continue;
                long strtab = Offset(Link(i));
                long verneed = Offset(i);
                while (true)
                {
                    int count = BitConverter.ToUInt16(elf, (int)verneed + 2);
                    string file = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)verneed + 4));
                    long aux = verneed + BitConverter.ToUInt32(elf, (int)verneed + 8);
                    for (int a = 0; a < count; a++)
                    {
                        var need = new VersionNeed
                        {
                            File = file,
                            Version = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8)),
                            Weak = (BitConverter.ToUInt16(elf, (int)aux + 4) & VerFlgWeak) != 0,
                            FlagsOffset = aux + 4,
                        };
                        needs.Add(need);
                        byIndex[BitConverter.ToUInt16(elf, (int)aux + 6)] = need;
                        uint next = BitConverter.ToUInt32(elf, (int)aux + 12);
                        if (next == 0) break;
                        aux += next;
                    }
                    uint nextNeed = BitConverter.ToUInt32(elf, (int)verneed + 12);
                    if (nextNeed == 0) break;
                    verneed += nextNeed;
                }
            }
            if (dynsym >= 0 && versym >= 0)
            {
                long symbols = Offset(dynsym), names = Offset(Link(dynsym)), versions = Offset(versym);
                long count = Size(dynsym) / 24; // Elf64_Sym: st_name (4), st_info, st_other, st_shndx (2), st_value, st_size (8 each)
                for (long s = 1; s < count; s++)
                {
                    int index = BitConverter.ToUInt16(elf, (int)(versions + 2 * s)) & 0x7fff;
                    if (byIndex.TryGetValue(index, out var need))
                        need.Symbols.Add(CString(elf, names + BitConverter.ToUInt32(elf, (int)(symbols + 24 * s))));
                }
            }
            return needs;
        }

        /// <summary>
        /// Sets the weak bit of <paramref name="need"/> in the file at <paramref name="path"/>. The edit goes to a copy that
        /// then replaces the file by rename (atomic for concurrent runs, which keep the old file open; and the file may
        /// be a hard link into NuGet's package cache, which must not change).
        /// </summary>
        public static void MarkWeak(string path, VersionNeed need)
        {
            string copy = path + ".loom-patch-" + Guid.NewGuid().ToString("N");
            File.Copy(path, copy, true); // keeps the mode
            try
            {
                using (var f = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite))
                {
                    var flags = new byte[2];
                    f.Position = need.FlagsOffset;
                    if (f.Read(flags, 0, 2) != 2) throw new InvalidDataException(path + ": truncated");
                    ushort value = (ushort)(BitConverter.ToUInt16(flags, 0) | VerFlgWeak);
                    f.Position = need.FlagsOffset;
                    f.Write(BitConverter.GetBytes(value), 0, 2);
                }
                File.Replace(copy, path, null); // rename(2): atomic
            }
            finally
            {
                if (File.Exists(copy)) File.Delete(copy);
            }
        }

        static string CString(byte[] b, long at)
        {
            int end = (int)at;
            while (b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
        }
    }
}
