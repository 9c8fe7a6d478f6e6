using Loom.Config;
using Loom.Experiments;

namespace Loom.Data.Folder;

/// <summary>
/// `data=folder`: an image folder (<see cref="ImageFolderLayout"/>) decoded once, in parallel on `data.workers`
/// threads, into the bytes of the model's input (<see cref="ImageDecoder"/>), so that training reads it as it reads
/// Fashion-MNIST's IDX files (<see cref="RawImages"/>): splits, statistics, augmentation and the loader are then
/// the same code for every image data set. Why decode up front rather than in every epoch as torchvision's
/// ImageFolder does: a 28×28 PNG costs ~10× more to decode than to augment and normalize, every epoch after the
/// first is then free of it, and a corrupt file is found before the XP folder is touched. A set that does not fit
/// in memory is decoded the same way into a cache file and mapped (`data.stream`, <see cref="StreamedFolder"/>).
/// </summary>
public static class ImageFolderReader
{
    /// <summary>The folder decoded; with data.on_corrupt=skip the files that do not decode are left out and listed in
    /// <see cref="RawImages.Skipped"/> (the task warns about each once the XP's log is open), else the first one stops the read.
    /// With `data.stream` the pixels are mapped from the folder's cache file, built on the first read (<see cref="StreamedFolder"/>).</summary>
    public static RawImages Read(DataSettings s)
    {
        var folder = Scan(s);
        return s.Stream ? StreamedFolder.Read(folder) : InMemory(folder);
    }

    /// <summary>The folder's files, splits and image size decided, nothing decoded yet.</summary>
    static FolderPlan Scan(DataSettings s)
    {
        string root = s.Root ?? throw new ConfigException("data.root: not set (data=folder data.root=PATH, a folder per class)");
        var layout = ImageFolderLayout.Scan(root);
        if (layout.Classes.Count > 256) throw new ConfigException($"{root}: {layout.Classes.Count} classes, at most 256 are supported");
        var (train, test) = layout.Test is { } given ? (layout.Train, given) : SeededSplit(layout.Train, s.TestFraction, s.SplitSeed, root);
        bool skip = s.OnCorrupt == "skip";
        return new FolderPlan(s, layout.Classes, train, test, DecoderFor(s, train, skip, root));
    }

    static RawImages InMemory(FolderPlan folder)
    {
        var skipped = new List<SkippedFile>();
        var (trainPixels, trainLabels) = DecodeToArray(folder, folder.Train, skipped);
        var (testPixels, testLabels) = DecodeToArray(folder, folder.Test, skipped);
        CheckSomeDecoded(folder, trainLabels.Length, testLabels.Length, skipped.Count);
        var d = folder.Decoder;
        return new RawImages(trainPixels, trainLabels, testPixels, testLabels, d.Channels, d.Height, d.Width, folder.Classes.Count, folder.Classes) { Skipped = skipped };
    }

    internal static void CheckSomeDecoded(FolderPlan folder, int train, int test, int skipped)
    {
        if (train == 0) throw new ConfigException($"{folder.Root}: no training image decodes ({skipped} skipped by data.on_corrupt=skip)");
        if (test == 0) throw new ConfigException($"{folder.Root}: no test image decodes ({skipped} skipped by data.on_corrupt=skip)");
    }

    static (byte[] Pixels, byte[] Labels) DecodeToArray(FolderPlan folder, IReadOnlyList<LabeledFile> files, List<SkippedFile> skipped)
    {
        var pixels = new byte[(long)files.Count * folder.Decoder.ImageSize];
        int at = 0;
        var labels = Decode(folder, files, skipped, image =>
        {
            image.CopyTo(pixels.AsSpan(at));
            at += image.Length;
        });
        return (at == pixels.Length ? pixels : pixels[..at], labels);
    }

    const string SkipHint = "data.on_corrupt=skip leaves such files out";

    /// <summary>The model's input: `data.image_size` and `data.channels`, each defaulting to the first training image's:
    /// The first image that identifies (with skip: a corrupt first file must not decide the size; it is skipped later).</summary>
    static ImageDecoder DecoderFor(DataSettings s, IReadOnlyList<LabeledFile> train, bool skip, string root)
    {
        if (s.ImageSize is { } size && s.Channels is { } channels) return new ImageDecoder(channels, size[0], size[1]);
        foreach (var file in train)
        {
            (int Channels, int Height, int Width) identified;
            try { identified = ImageDecoder.Identify(file.Path); }
            catch (DataException) when (skip) { continue; }
            catch (DataException e) { throw new ConfigException($"{e.Message} ({SkipHint})"); }
            return new ImageDecoder(s.Channels ?? identified.Channels, s.ImageSize?[0] ?? identified.Height, s.ImageSize?[1] ?? identified.Width);
        }
        throw new ConfigException($"{root}: no training image decodes ({train.Count} skipped by data.on_corrupt=skip)");
    }

    /// <summary>The test split drawn from every image by a shuffle seeded with `split_seed`; both splits keep the folder's order.</summary>
    static (IReadOnlyList<LabeledFile> Train, IReadOnlyList<LabeledFile> Test) SeededSplit(IReadOnlyList<LabeledFile> all, double testFraction, long seed, string root)
    {
        int testCount = (int)Math.Round(all.Count * testFraction);
        if (testCount == 0 || testCount == all.Count)
            throw new ConfigException($"data.test_fraction={testFraction}: leaves {(testCount == 0 ? "no test" : "no training")} image out of the {all.Count} in {root} (or give it train/ and test/ folders)");
        var isTest = SeededShuffle.TestMask(all.Count, testCount, seed);
        return (all.Where((_, i) => !isTest[i]).ToList(), all.Where((_, i) => isTest[i]).ToList());
    }

    /// <summary>Receives the decoded images that are kept, one at a time, in folder order.</summary>
    internal delegate void ImageSink(ReadOnlySpan<byte> image);

    /// <summary>Images decoded per round of the workers: the memory a decode holds whatever the folder's size.</summary>
    const int ChunkImages = 256;

    /// <summary>The files decoded side by side (on `data.workers` threads), a chunk at a time, each kept image handed to
    /// <paramref name="sink"/> in folder order; returns their labels. An image that does not decode stops the read (the
    /// first in folder order, whichever thread met it), or is left out and added to <paramref name="skipped"/>.</summary>
    internal static byte[] Decode(FolderPlan folder, IReadOnlyList<LabeledFile> files, List<SkippedFile> skipped, ImageSink sink)
    {
        var decoder = folder.Decoder;
        int size = decoder.ImageSize;
        var chunk = new byte[ChunkImages * size];
        var failures = new DataException?[ChunkImages];
        var labels = new List<byte>(files.Count);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, folder.Settings.Workers) };
        for (int first = 0; first < files.Count; first += ChunkImages)
        {
            int count = Math.Min(ChunkImages, files.Count - first);
            Array.Clear(failures);
            Parallel.For(0, count, options, i =>
            {
                try { decoder.Decode(files[first + i].Path, chunk.AsSpan(i * size, size)); }
                catch (DataException e) { failures[i] = e; }
            });
            for (int i = 0; i < count; i++)
            {
                var file = files[first + i];
                if (failures[i] is { } failure)
                {
                    if (!folder.Skip) throw new ConfigException($"{failure.Message} ({SkipHint})");
                    skipped.Add(new SkippedFile(file.Path, ReasonOf(failure, file.Path)));
                    continue;
                }
                sink(chunk.AsSpan(i * size, size));
                labels.Add((byte)file.Label);
            }
        }
        return labels.ToArray();
    }

    /// <summary>The decoder's message without the path it starts with (the list names the file beside it).</summary>
    static string ReasonOf(DataException e, string path) => e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
}

/// <summary>An image folder scanned (<see cref="ImageFolderReader"/>): its classes, the files of each split, the decoder of
/// the model's input size, and the settings it was read with.</summary>
internal sealed record FolderPlan(DataSettings Settings, IReadOnlyList<string> Classes, IReadOnlyList<LabeledFile> Train,
    IReadOnlyList<LabeledFile> Test, ImageDecoder Decoder)
{
    public string Root => Settings.Root!;
    public bool Skip => Settings.OnCorrupt == "skip";
}
