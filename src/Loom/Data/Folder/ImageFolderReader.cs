using Loom.Config;
using Loom.Experiments;

namespace Loom.Data.Folder;

/// <summary>
/// `data=folder`: an image folder (<see cref="ImageFolderLayout"/>) decoded once, in parallel on `data.workers`
/// threads, into the bytes of the model's input (<see cref="ImageDecoder"/>), so that training reads it as it reads
/// Fashion-MNIST's IDX files (<see cref="RawImages"/>): splits, statistics, augmentation and the loader are then
/// the same code for every image data set. Why decode up front rather than in every epoch as torchvision's
/// ImageFolder does: a 28×28 PNG costs ~10× more to decode than to augment and normalize, every epoch after the
/// first is then free of it, and a corrupt file is found before the XP folder is touched. (A set that does not fit
/// in memory is the streamed cache's job.)
/// </summary>
public static class ImageFolderReader
{
    /// <summary>The folder decoded; with data.on_corrupt=skip the files that do not decode are left out and listed in
    /// <see cref="RawImages.Skipped"/> (the task warns about each once the XP's log is open), else the first one stops the read.</summary>
    public static RawImages Read(DataSettings s)
    {
        string root = s.Root ?? throw new ConfigException("data.root: not set (data=folder data.root=PATH, a folder per class)");
        var layout = ImageFolderLayout.Scan(root);
        if (layout.Classes.Count > 256) throw new ConfigException($"{root}: {layout.Classes.Count} classes, at most 256 are supported");
        var (train, test) = layout.Test is { } given ? (layout.Train, given) : SeededSplit(layout.Train, s.TestFraction, s.SplitSeed, root);
        bool skip = s.OnCorrupt == "skip";
        var decoder = DecoderFor(s, train, skip, root);
        var skipped = new List<SkippedFile>();
        var (trainPixels, trainLabels) = Decode(decoder, train, s.Workers, skip, skipped);
        var (testPixels, testLabels) = Decode(decoder, test, s.Workers, skip, skipped);
        if (trainLabels.Length == 0) throw new ConfigException($"{root}: no training image decodes ({skipped.Count} skipped by data.on_corrupt=skip)");
        if (testLabels.Length == 0) throw new ConfigException($"{root}: no test image decodes ({skipped.Count} skipped by data.on_corrupt=skip)");
        return new RawImages(trainPixels, trainLabels, testPixels, testLabels, decoder.Channels, decoder.Height, decoder.Width,
            layout.Classes.Count, layout.Classes) { Skipped = skipped };
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

    /// <summary>The files decoded side by side (on `workers` threads) into one N×C×H×W array, in order; an image that does
    /// not decode stops the read (the first in folder order, whichever thread met it), or is left out and added to <paramref name="skipped"/>.</summary>
    static (byte[] Pixels, byte[] Labels) Decode(ImageDecoder decoder, IReadOnlyList<LabeledFile> files, int workers, bool skip, List<SkippedFile> skipped)
    {
        int size = decoder.ImageSize;
        var pixels = new byte[(long)files.Count * size];
        var failures = new DataException?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, i =>
        {
            try { decoder.Decode(files[i].Path, pixels.AsSpan(i * size, size)); }
            catch (DataException e) { failures[i] = e; }
        });
        if (Array.FindIndex(failures, f => f is not null) is int first and >= 0 && !skip)
            throw new ConfigException($"{failures[first]!.Message} ({SkipHint})");
        var kept = Enumerable.Range(0, files.Count).Where(i => failures[i] is null).ToArray();
        for (int i = 0; i < files.Count; i++)
            if (failures[i] is { } failure) skipped.Add(new SkippedFile(files[i].Path, ReasonOf(failure, files[i].Path)));
        if (kept.Length == files.Count) return (pixels, files.Select(f => (byte)f.Label).ToArray());
        var compact = new byte[(long)kept.Length * size];
        for (int k = 0; k < kept.Length; k++) pixels.AsSpan(kept[k] * size, size).CopyTo(compact.AsSpan(k * size, size));
        return (compact, kept.Select(i => (byte)files[i].Label).ToArray());
    }

    /// <summary>The decoder's message without the path it starts with (the list names the file beside it).</summary>
    static string ReasonOf(DataException e, string path) => e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message;
}
