using Loom.Experiments;
using Loom.Platform;

namespace Loom.App.Commands;

/// <summary>`loom doctor [overrides…]`: which platform tweaks apply on this machine and why, one line each (exit 0).</summary>
public static class DoctorCommand
{
    public static int Run(string confDir, IReadOnlyList<string> overrides)
    {
        var xp = Xp.Create(confDir, overrides);
        foreach (var line in Doctor.Lines(xp.Config)) Console.WriteLine(line);
        return 0;
    }
}
