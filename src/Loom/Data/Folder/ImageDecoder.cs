using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Loom.Data.Folder;

/// <summary>
/// Decodes PNG and JPEG files (SixLabors.ImageSharp) into C×H×W bytes of the model's input: resized so that the
/// image covers H×W and center-cropped (torchvision's Resize + CenterCrop; bilinear), grayscale or RGB.
/// </summary>
public sealed class ImageDecoder(int channels, int height, int width)
{
    public int Channels => channels;
    public int Height => height;
    public int Width => width;
    public int ImageSize => channels * height * width;

    /// <summary>The size and channels of <paramref name="path"/> as it is stored: 1 for a grayscale PNG or JPEG, else 3.</summary>
    /// <exception cref="DataException">The file is not a PNG or JPEG image (one line naming it).</exception>
    public static (int Channels, int Height, int Width) Identify(string path)
    {
        IImageInfo? info;
        try { info = Image.Identify(path); }
        catch (Exception e) when (IsDecodeError(e)) { throw Corrupt(path, e); }
        if (info is null) throw new DataException($"{path}: not a PNG or JPEG image (unknown format)");
        bool gray = info.Metadata.GetPngMetadata().ColorType is PngColorType.Grayscale or PngColorType.GrayscaleWithAlpha
                    || (info.Metadata.GetFormatMetadata(JpegFormat.Instance) is { } jpeg && jpeg.ColorType == JpegColorType.Luminance);
        return (gray ? 1 : 3, info.Height, info.Width);
    }

    /// <summary>Decodes <paramref name="path"/> into <paramref name="destination"/> (<see cref="ImageSize"/> bytes, planes C×H×W).</summary>
    /// <exception cref="DataException">The file does not decode (one line naming it and why).</exception>
    public void Decode(string path, Span<byte> destination)
    {
        Image<Rgb24> image;
        try { image = Image.Load<Rgb24>(path); }
        catch (Exception e) when (IsDecodeError(e)) { throw Corrupt(path, e); }
        using (image)
        {
            if (image.Height != height || image.Width != width)
                image.Mutate(x => x.Resize(new ResizeOptions
                {
                    Size = new Size(width, height), Mode = ResizeMode.Crop, Position = AnchorPositionMode.Center, Sampler = KnownResamplers.Triangle,
                }));
            ToPlanes(image, destination);
        }
    }

    void ToPlanes(Image<Rgb24> image, Span<byte> destination)
    {
        int plane = height * width;
        var planes = destination[..ImageSize];
        var pixels = new Rgb24[plane];
        image.CopyPixelDataTo(pixels);
        for (int i = 0; i < plane; i++)
        {
            var p = pixels[i];
            if (channels == 1) planes[i] = Luminance(p);
            else
            {
                planes[i] = p.R;
                planes[plane + i] = p.G;
                planes[2 * plane + i] = p.B;
            }
        }
    }

    /// <summary>
    /// PIL's `convert("L")` (ITU-R 601-2, L = R·299/1000 + G·587/1000 + B·114/1000 in its 16-bit fixed point), which
    /// torchvision's Grayscale uses; by hand because ImageSharp's L8 uses BT.709 weights, and a model trained on
    /// PIL's gray levels should see the same ones here. Exact for gray pixels (R = G = B).
    /// </summary>
    static byte Luminance(Rgb24 p) => (byte)((p.R * 19595 + p.G * 38470 + p.B * 7471 + 0x8000) >> 16);

    /// <summary>Whatever a damaged file makes the decoder throw (its own exceptions, an unreadable file, and the
    /// IndexOutOfRange or memory errors of headers that lie about their sizes): the file's fault, named in one line.
    /// Only running out of memory is the process's.</summary>
    static bool IsDecodeError(Exception e) => e is not OutOfMemoryException;

    static DataException Corrupt(string path, Exception e) => new($"{path}: the image does not decode ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')})");
}
