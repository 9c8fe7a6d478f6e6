// MSBuild task (compiled by RoslynCodeTaskFactory): lets TorchSharp's libLibTorchSharp.so load on systems
// whose libstdc++ predates GCC 13 (Debian 12 ships GLIBCXX_3.4.30).
//
// The library asks for version GLIBCXX_3.4.32 only for `_ZSt21ios_base_library_initv`, a marker symbol
// that is never called. Marking that version requirement weak (VER_FLG_WEAK in the Vernaux entry of
// .gnu.version_r) makes the dynamic loader accept its absence. No library does this ELF edit for us and
// the fresh machine has no python3/patchelf, so it is written here: read headers, walk Verneed/Vernaux,
// flip one bit. Does nothing when the system libstdc++ already provides the version.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchGlibcxxRequirement : Task
{
    [Required] public string LibraryPath { get; set; } = "";
    public string SystemLibStdCxx { get; set; } = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        if (!File.Exists(LibraryPath)) return true;
        if (!File.Exists(SystemLibStdCxx) || Contains(File.ReadAllBytes(SystemLibStdCxx), Version))
        {
            Log.LogMessage(MessageImportance.Low, $"{SystemLibStdCxx} provides {Version} (or is absent): no patch");
            return true;
        }
        byte[] elf = File.ReadAllBytes(LibraryPath);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogError($"{LibraryPath}: not a little-endian ELF64 file");
            return false;
        }
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            long strtab = BitConverter.ToInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);
            long verneed = offset;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(elf, (int)verneed + 2);
                long aux = verneed + BitConverter.ToUInt32(elf, (int)verneed + 8);
                for (int a = 0; a < cnt; a++)
                {
                    string name = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == Version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0) return true;
                        WriteBitThroughCopy(aux + 4, (ushort)(flags | VerFlgWeak));
                        Log.LogMessage(MessageImportance.High, $"Loom: marked {Version} weak in {LibraryPath}");
                        return true;
                    }
                    uint next = BitConverter.ToUInt32(elf, (int)aux + 12);
                    if (next == 0) break;
                    aux += next;
                }
                uint nextNeed = BitConverter.ToUInt32(elf, (int)verneed + 12);
                if (nextNeed == 0) break;
                verneed += nextNeed;
            }
        }
        Log.LogMessage(MessageImportance.Low, $"{LibraryPath} does not require {Version}: no patch");
        return true;
    }

    // The output's library may be a hard link into NuGet's package cache (the repo builds with
    // CreateHardLinksForCopyLocalIfPossible): editing it in place would edit the cache. The edit goes to a
    // copy (File.Copy keeps the mode) that then replaces the file by rename, which also makes it atomic.
    void WriteBitThroughCopy(long position, ushort value)
    {
        string copy = LibraryPath + ".loom-patch";
        File.Copy(LibraryPath, copy, true);
        using (var f = new FileStream(copy, FileMode.Open, FileAccess.Write))
        {
            f.Position = position;
            f.Write(BitConverter.GetBytes(value), 0, 2);
        }
        File.Replace(copy, LibraryPath, null);
    }

    static string CString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }

    static bool Contains(byte[] haystack, string needle)
    {
        byte[] n = Encoding.ASCII.GetBytes(needle + "\0");
        for (int i = 0; i + n.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < n.Length && haystack[i + j] == n[j]) j++;
            if (j == n.Length) return true;
        }
        return false;
    }
}
