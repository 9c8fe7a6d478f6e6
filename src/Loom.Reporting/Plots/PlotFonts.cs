using ScottPlot;

namespace Loom.Reporting.Plots;

/// <summary>
/// A font for the plots' text. SkiaSharp's Linux build without dependencies has no fontconfig, so it finds no
/// system font by name; the DejaVu font of Debian's `fonts-dejavu-core` (installed by scripts/install-deps.sh)
/// is registered from its file instead. Without it, text would be drawn with an empty typeface.
/// </summary>
public static class PlotFonts
{
    public const string Family = "DejaVu Sans";
    static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ];
    static readonly Lazy<bool> Loaded = new(Load);

    public static void EnsureLoaded() => _ = Loaded.Value;

    static bool Load()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()) return true; // these find system fonts by name
        string? file = Candidates.FirstOrDefault(File.Exists)
            ?? throw new ReportException($"no font for the plot's text: install Debian's fonts-dejavu-core (expected {Candidates[0]})");
        Fonts.AddFontFile(Family, file);
        Fonts.Default = Family;
        return true;
    }
}
