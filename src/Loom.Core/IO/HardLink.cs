using System.Runtime.InteropServices;

namespace Loom.IO;

/// <summary>link(2): .NET has symbolic links (File.CreateSymbolicLink) but no hard links.</summary>
public static class HardLink
{
    /// <summary>Creates <paramref name="newPath"/> as another name of <paramref name="existing"/>; false where not possible.</summary>
    public static bool TryCreate(string existing, string newPath) => OperatingSystem.IsLinux() && link(existing, newPath) == 0;

    [DllImport("libc", SetLastError = true)]
    static extern int link([MarshalAs(UnmanagedType.LPStr)] string oldPath, [MarshalAs(UnmanagedType.LPStr)] string newPath);
}
