using SkiaSharp;

namespace Loom.Report.Tests;

/// <summary>Reads a PNG back and says whether something was drawn on it.</summary>
public static class PngCheck
{
    /// <summary>Width, height and the number of distinct colors on a grid of sampled pixels (1 for a blank image).</summary>
    public static (int Width, int Height, int Colors) Inspect(string path)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not an image");
        var colors = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                colors.Add(bitmap.GetPixel(x, y));
        return (bitmap.Width, bitmap.Height, colors.Count);
    }

    /// <summary>
    /// Where pixels of exactly <paramref name="color"/> lie: their count and the horizontal span they cover, as a
    /// fraction of the width. A curve drawn across the plot covers most of it; its legend swatch, a few per cent.
    /// </summary>
    public static (int Pixels, double WidthFraction) Extent(string path, SKColor color)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} is not an image");
        int pixels = 0, minX = int.MaxValue, maxX = -1;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y) == color) { pixels++; minX = Math.Min(minX, x); maxX = Math.Max(maxX, x); }
        return (pixels, pixels == 0 ? 0 : (maxX - minX + 1) / (double)bitmap.Width);
    }
}
