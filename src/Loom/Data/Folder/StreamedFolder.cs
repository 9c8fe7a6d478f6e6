using System.Security.Cryptography;
using System.Text;
using Loom.Config;
using Loom.Experiments;
using Loom.IO;

namespace Loom.Data.Folder;

/// <summary>
/// `data=folder data.stream=true`: the folder decoded once into a packed cache file (<see cref="PackedImageCache"/>),
/// which training then reads memory-mapped (<see cref="MappedPixels"/>), so the decoded pixels never sit in the
/// process's own memory (a data set larger than RAM trains; its pages are the kernel's, reclaimable). The cache lives
/// beside the decompressed IDX copies (<see cref="DecompressedCache.Folder"/>, `images/` under it), one file per
/// folder and decode settings; its fingerprint (every source file's relative path, label, size and modification
/// time) and checksum are checked on each start: a match is reused, anything else rebuilt with a warning. The
/// batches are the ones the in-memory folder gives, bit for bit: the same decoder writes the same bytes.
/// </summary>
public static class StreamedFolder
{
    internal static RawImages Read(FolderPlan folder)
    {
        string path = PathFor(folder);
        byte[] fingerprint = Fingerprint(folder);
        var notes = new List<DataNote>();
        var contents = File.Exists(path) ? Reuse(path, fingerprint, notes) : null;
        if (contents is null)
        {
            contents = Build(folder, path, fingerprint);
            notes.Add(new DataNote($"data.stream: decoded {folder.Root} into the image cache {path} ({Describe(contents)})"));
        }
        var train = new MappedPixels(path, contents.TrainPixelsAt, contents.TrainLabels.Length * contents.ImageSize);
        var test = new MappedPixels(path, contents.TestPixelsAt, contents.TestLabels.Length * contents.ImageSize);
        return new RawImages(train, contents.TrainLabels, test, contents.TestLabels, contents.Channels, contents.Height, contents.Width,
            contents.Classes.Count, contents.Classes) { Skipped = contents.Skipped, Notes = notes };
    }

    /// <summary>Where the folder's cache is: one file per folder (its full path) and the settings that decide its bytes.</summary>
    public static string PathFor(DataSettings s, int channels, int height, int width)
    {
        string folder = DecompressedCache.Folder
            ?? throw new ConfigException("data.stream=true: no cache folder to keep the decoded images in (LOOM_CACHE_DIR=off, or no home folder): set LOOM_CACHE_DIR=PATH");
        string root = Path.GetFullPath(s.Root!).TrimEnd(Path.DirectorySeparatorChar);
        string key = $"{root}\n{channels}x{height}x{width}\n{s.OnCorrupt}\n{s.TestFraction:R}\n{s.SplitSeed}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(folder, "images", $"{hash}-{Path.GetFileName(root)}.images");
    }

    static string PathFor(FolderPlan f) => PathFor(f.Settings, f.Decoder.Channels, f.Decoder.Height, f.Decoder.Width);

    static PackedImageCache.Contents? Reuse(string path, byte[] fingerprint, List<DataNote> notes)
    {
        PackedImageCache.Contents? contents;
        string problem;
        try { contents = PackedImageCache.Open(path, fingerprint, out problem); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { (contents, problem) = (null, $"unreadable: {e.Message}"); }
        notes.Add(contents is null
            ? new DataNote($"data.stream: the image cache {path} does not match ({problem}): rebuilt", Warning: true)
            : new DataNote($"data.stream: reusing the image cache {path} ({Describe(contents)})"));
        return contents;
    }

    static PackedImageCache.Contents Build(FolderPlan folder, string path, byte[] fingerprint)
    {
        var skipped = new List<SkippedFile>();
        byte[] DecodeSplit(IReadOnlyList<LabeledFile> files, PackedImageCache.PayloadWriter write) =>
            ImageFolderReader.Decode(folder, files, skipped, image => write(image));
        var d = folder.Decoder;
        int trainCount = 0;
        try
        {
            return PackedImageCache.Write(path, d.Channels, d.Height, d.Width, fingerprint, folder.Classes,
                write =>
                {
                    var train = DecodeSplit(folder.Train, write);
                    trainCount = train.Length;
                    return train;
                },
                write =>
                {
                    var test = DecodeSplit(folder.Test, write);
                    ImageFolderReader.CheckSomeDecoded(folder, trainCount, test.Length, skipped.Count); // before the file is complete: none is left
                    return test;
                },
                skipped);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DiskFullException)
        {
            throw new ConfigException($"data.stream=true: cannot write the image cache {path} ({e.Message})");
        }
    }

    /// <summary>Every source file's relative path, label, size and modification time, and the decode settings: a cache
    /// made from other files, or another version of one, does not match.</summary>
    static byte[] Fingerprint(FolderPlan folder)
    {
        // Hashed line by line: the text of a 70,000-file folder would be ~16 MB held at once.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        var d = folder.Decoder;
        Line($"loom image cache {PackedImageCache.FormatVersion}\n{d.Channels}x{d.Height}x{d.Width}\n{folder.Settings.OnCorrupt}");
        Line(string.Join('\n', folder.Classes));
        foreach (var (split, files) in new[] { ("train", folder.Train), ("test", folder.Test) })
        {
            Line(split);
            foreach (var file in files)
            {
                var info = new FileInfo(file.Path);
                Line($"{Path.GetRelativePath(folder.Root, file.Path)}\t{file.Label}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}");
            }
        }
        return hash.GetHashAndReset();
    }

    static string Describe(PackedImageCache.Contents c) =>
        $"{c.TrainLabels.Length} training and {c.TestLabels.Length} test images of {c.Channels}×{c.Height}×{c.Width}, {Size(c.PayloadBytes)}";

    static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes / 1048576.0:F1} MiB" : $"{bytes / 1024.0:F1} KiB";
}
