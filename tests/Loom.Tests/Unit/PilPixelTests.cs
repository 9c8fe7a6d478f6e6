using System.Diagnostics;
using Loom.Data;
using Loom.Data.Folder;

namespace Loom.Tests.Unit;

/// <summary>Skips, with the reason shown, where Debian's /usr/bin/python3 cannot import PIL (apt-get install python3-pil).</summary>
public sealed class PilFactAttribute : FactAttribute
{
    public PilFactAttribute()
    {
        if (!Pil.Available) Skip = $"{Pil.Python} cannot import PIL (apt-get install python3-pil): no independent decoder to compare with";
    }
}

static class Pil
{
    public const string Python = "/usr/bin/python3";
    public static readonly bool Available = Run("import PIL", null).ExitCode == 0;

    public static (int ExitCode, string Output) Run(string script, string? argument)
    {
        if (!File.Exists(Python)) return (-1, $"{Python}: not found");
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        if (argument is not null) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}

/// <summary>
/// data=folder's decoded pixels against an independent decoder: PIL (Debian's python3-pil, libpng/libjpeg) writes PNG and
/// JPEG files and decodes them; Loom's folder reader (ImageSharp) decodes the same files. PNG is lossless, so the bytes
/// must be equal — RGB, grayscale and palette files, and PIL's `convert("L")` gray levels for channels=1. JPEG decoders
/// may differ in their inverse DCT and chroma upsampling (the standard leaves both open), so JPEG is compared within a
/// tolerance: luma (channels=1, gray JPEG) and 4:4:4 colour within 2 levels of 255, mean under 0.1. 4:2:0 colour differs
/// more, and systematically: libjpeg interpolates the half-resolution chroma ("fancy upsampling") where ImageSharp places
/// it otherwise, so a smooth gradient differs by ~4 levels on average; that case is held to the measured bound.
/// </summary>
public sealed class PilPixelTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("loom-pil-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    // One class folder per kind of file (sorted: the label order), the same file in train/ and test/. 20 rows × 24 columns
    // (not square: a transposed decode would fail); smooth gradients plus noise, so JPEG has edges and flat parts.
    const string WriteAndDecode = """
        import os, random, sys
        from PIL import Image
        root = sys.argv[1]
        rng = random.Random(7)
        W, H = 24, 20
        def rgb():
            im = Image.new("RGB", (W, H))
            im.putdata([(min(255, x * 10 + rng.randrange(20)), min(255, y * 12 + rng.randrange(20)), rng.randrange(256) if (x // 6 + y // 5) % 2 else 128) for y in range(H) for x in range(W)])
            return im
        def smooth():
            im = Image.new("RGB", (W, H))
            im.putdata([(x * 10, y * 12, 255 - x * 5 - y * 4) for y in range(H) for x in range(W)])
            return im
        kinds = {
            "a_png_rgb": (rgb(), "png", {}),
            "b_png_gray": (rgb().convert("L"), "png", {}),
            "c_png_palette": (rgb().quantize(64), "png", {}),
            "d_jpeg_444": (rgb(), "jpg", {"quality": 90, "subsampling": 0}),
            "e_jpeg_420": (rgb(), "jpg", {"quality": 90, "subsampling": 2}),
            "e_jpeg_420_smooth": (smooth(), "jpg", {"quality": 90, "subsampling": 2}),
            "f_jpeg_gray": (rgb().convert("L"), "jpg", {"quality": 90}),
        }
        for kind, (im, ext, options) in kinds.items():
            for split in ("train", "test"):
                folder = os.path.join(root, "images", split, kind)
                os.makedirs(folder, exist_ok=True)
                im.save(os.path.join(folder, "image." + ext), **options)
            decoded = Image.open(os.path.join(root, "images", "train", kind, "image." + ext)).convert("RGB")
            with open(os.path.join(root, kind + ".rgb"), "wb") as f: f.write(decoded.tobytes())
            with open(os.path.join(root, kind + ".l"), "wb") as f: f.write(decoded.convert("L").tobytes())
        """;

    [PilFact]
    public void FolderPixelsMatchPilExactlyForPngAndWithinAToleranceForJpeg()
    {
        var (exit, output) = Pil.Run(WriteAndDecode, root);
        Assert.True(exit == 0, output);
        foreach (int channels in new[] { 3, 1 })
        {
            var raw = ImageFolderReader.Read(new DataSettings { Name = "folder", Root = Path.Combine(root, "images"), Channels = channels });
            Assert.Equal((20, 24), (raw.Height, raw.Width));
            Assert.Equal(7, raw.ClassNames!.Count);
            int size = channels * 20 * 24;
            for (int label = 0; label < raw.ClassNames.Count; label++)
            {
                string kind = raw.ClassNames[label];
                var loom = raw.TrainPixels.AsSpan(label * size, size).ToArray();
                var pil = Planes(File.ReadAllBytes(Path.Combine(root, kind + (channels == 3 ? ".rgb" : ".l"))), channels);
                var differences = loom.Zip(pil, (a, b) => Math.Abs(a - b)).ToArray();
                string what = $"{kind}, channels={channels}: max |Loom − PIL| {differences.Max()}, mean {differences.Average():F3}";
                Console.WriteLine(what);
                if (kind.Contains("png")) Assert.True(differences.Max() == 0, what);
                else if (channels == 3 && kind.Contains("420"))
                    // Measured 2026-12-07: max 46 / mean 5.7 (noisy colours), max 11 / mean 3.8 (smooth gradient); luma agrees.
                    Assert.True(differences.Max() <= 48 && differences.Average() < 6, what);
                else Assert.True(differences.Max() <= 2 && differences.Average() < 0.1, what);
            }
        }
    }

    /// <summary>PIL's H×W×C interleaved bytes as Loom's C×H×W planes.</summary>
    static byte[] Planes(byte[] interleaved, int channels)
    {
        int plane = interleaved.Length / channels;
        var planes = new byte[interleaved.Length];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < channels; c++) planes[c * plane + i] = interleaved[i * channels + c];
        return planes;
    }
}
