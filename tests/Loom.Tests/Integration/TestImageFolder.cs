using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Loom.Tests.Integration;

/// <summary>Writes small gray PNGs in torchvision's ImageFolder layout: two classes told apart by brightness.</summary>
public static class TestImageFolder
{
    public static readonly (string Name, int Level)[] Classes = [("cat", 50), ("dog", 200)];

    /// <summary><paramref name="perClass"/> 12×12 PNGs per class under <paramref name="root"/>/&lt;class&gt;/ (0.png, 1.png, …).</summary>
    public static string Write(string root, int perClass, int seed = 3)
    {
        var random = new Random(seed);
        foreach (var (cls, level) in Classes)
        {
            Directory.CreateDirectory(Path.Combine(root, cls));
            for (int i = 0; i < perClass; i++)
            {
                using var image = new Image<L8>(12, 12);
                for (int y = 0; y < 12; y++)
                    for (int x = 0; x < 12; x++)
                        image[x, y] = new L8((byte)(level + random.Next(-40, 40)));
                image.SaveAsPng(Path.Combine(root, cls, $"{i}.png"));
            }
        }
        return root;
    }
}
