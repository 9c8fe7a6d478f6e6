using Loom.Config;

namespace Loom.Data.Folder;

/// <summary>One image file and its label (the index of its class folder).</summary>
public readonly record struct LabeledFile(string Path, int Label);

/// <summary>
/// The files of an image folder in torchvision's ImageFolder layout: a subfolder per class (sorted ordinally, as
/// torchvision sorts them: the label is the index), PNG and JPEG files sorted within each; either `train/` and
/// `test/` folders of that layout, or the class folders at the root (the test split is then drawn by a seed,
/// <see cref="ImageFolderReader"/>). A layout it cannot read is refused with one line naming the folder or file
/// (<see cref="ConfigException"/>: the config's `data.root` points at it), before anything is created.
/// </summary>
public sealed record ImageFolderLayout(IReadOnlyList<string> Classes, IReadOnlyList<LabeledFile> Train, IReadOnlyList<LabeledFile>? Test)
{
    /// <summary>The extensions decoded (case-insensitive); files starting with '.' are ignored, any other file is refused.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public static ImageFolderLayout Scan(string root)
    {
        if (!Directory.Exists(root)) throw new ConfigException($"data.root={root}: folder not found (expected a folder per class, or train/ and test/ folders of them)");
        string train = Path.Combine(root, "train"), test = Path.Combine(root, "test");
        if (Directory.Exists(train) && Directory.Exists(test))
        {
            var classes = ClassFolders(train);
            var unknown = ClassFolders(test).FirstOrDefault(c => !classes.Contains(c));
            if (unknown is not null) throw new ConfigException($"{Path.Combine(test, unknown)}: class '{unknown}' is not among the classes of {train} ({string.Join(", ", classes)})");
            return new ImageFolderLayout(classes, Files(train, classes, required: true), Files(test, classes, required: false));
        }
        var all = ClassFolders(root);
        return new ImageFolderLayout(all, Files(root, all, required: true), null);
    }

    static List<string> ClassFolders(string folder)
    {
        var classes = Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new ConfigException($"{folder}: no class subfolders (expected {folder}/<class>/<image>.png, torchvision's ImageFolder layout)");
        return classes;
    }

    /// <summary>Class by class, each class's images in ordinal order; an empty class of a required split is refused.</summary>
    static List<LabeledFile> Files(string folder, List<string> classes, bool required)
    {
        var files = new List<LabeledFile>();
        for (int label = 0; label < classes.Count; label++)
        {
            string classFolder = Path.Combine(folder, classes[label]);
            if (!Directory.Exists(classFolder)) continue; // a test split may lack a class
            int before = files.Count;
            foreach (var file in Directory.EnumerateFiles(classFolder).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(file);
                if (name.StartsWith('.')) continue;
                if (!Extensions.Contains(Path.GetExtension(name).ToLowerInvariant()))
                    throw new ConfigException($"{file}: not an image (expected PNG or JPEG: {string.Join(", ", Extensions)})");
                files.Add(new LabeledFile(file, label));
            }
            if (files.Count == before && required) throw new ConfigException($"{classFolder}: class '{classes[label]}' holds no PNG or JPEG image");
        }
        return files;
    }
}
