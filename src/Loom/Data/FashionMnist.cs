namespace Loom.Data;

/// <summary>Fashion-MNIST (60k train, 10k test, 1×28×28, 10 classes) from its IDX files, e.g. Debian's
/// `dataset-fashion-mnist` at /usr/share/datasets/fashion-mnist. MNIST has the same layout.</summary>
public static class FashionMnist
{
    public const string DefaultRoot = "/usr/share/datasets/fashion-mnist";

    public static RawImages Read(string root)
    {
        if (!Directory.Exists(root)) throw new DataException($"{root}: data folder not found (data.root; on Debian: apt-get install dataset-fashion-mnist)");
        // The two image files are decompressed in parallel: half of the start-up time of a run otherwise.
        var testImagesTask = Task.Run(() => IdxReader.Read(Find(root, "t10k-images-idx3-ubyte"), [28, 28]));
        var trainImages = IdxReader.Read(Find(root, "train-images-idx3-ubyte"), [28, 28]);
        var trainLabels = IdxReader.Read(Find(root, "train-labels-idx1-ubyte"), []);
        var testLabels = IdxReader.Read(Find(root, "t10k-labels-idx1-ubyte"), []);
        var testImages = testImagesTask.GetAwaiter().GetResult(); // rethrows the task's DataException as is
        CheckSameCount(Find(root, "train-images-idx3-ubyte"), Find(root, "train-labels-idx1-ubyte"), trainImages, trainLabels);
        CheckSameCount(Find(root, "t10k-images-idx3-ubyte"), Find(root, "t10k-labels-idx1-ubyte"), testImages, testLabels);
        CheckLabels(Find(root, "train-labels-idx1-ubyte"), trainLabels.Data);
        CheckLabels(Find(root, "t10k-labels-idx1-ubyte"), testLabels.Data);
        return new RawImages(trainImages.Data, trainLabels.Data, testImages.Data, testLabels.Data, Channels: 1, Height: 28, Width: 28, Classes: 10);
    }

    /// <summary>The gzip file if present, else the unzipped one (torchvision's raw folder keeps both).</summary>
    static string Find(string root, string stem)
    {
        string gz = Path.Combine(root, stem + ".gz");
        string plain = Path.Combine(root, stem);
        return File.Exists(gz) || !File.Exists(plain) ? gz : plain;
    }

    static void CheckSameCount(string imagesPath, string labelsPath, IdxReader.IdxArray images, IdxReader.IdxArray labels)
    {
        if (images.Count != labels.Count)
            throw new DataException($"{labelsPath}: {labels.Count} labels but {Path.GetFileName(imagesPath)} has {images.Count} images");
    }

    static void CheckLabels(string path, byte[] labels)
    {
        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0) throw new DataException($"{path}: label {labels[bad]} at index {bad}, expected 0..9");
    }
}
