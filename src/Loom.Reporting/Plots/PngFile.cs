using ScottPlot;

namespace Loom.Reporting.Plots;

/// <summary>Writes a plot as a PNG: rendered to bytes first and written atomically, so a reader never sees half an image.</summary>
public static class PngFile
{
    public static void Write(string path, Plot plot, int width, int height)
    {
        if (width is < 100 or > 10_000 || height is < 100 or > 10_000)
            throw new ReportException($"--size {width}x{height}: expected between 100 and 10000 pixels each way");
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder)) throw new ReportException($"{path}: folder {folder} does not exist");
        Loom.IO.AtomicFile.WriteAllBytes(full, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
