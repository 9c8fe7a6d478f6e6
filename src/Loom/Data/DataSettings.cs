namespace Loom.Data;

/// <summary>The `data` section of the image data sets (<see cref="DataFactory"/>).</summary>
public sealed record DataSettings
{
    public string Name { get; init; } = "fashion_mnist";
    public string? Root { get; init; } = FashionMnist.DefaultRoot;
    /// <summary>Fraction of the training set held out for validation (model selection); 0 = none, then the last epoch is selected.</summary>
    public double ValidFraction { get; init; } = 0.1;
    /// <summary>Seed of the shuffle that draws the validation split (independent of the XP's `seed`).</summary>
    public long SplitSeed { get; init; }
    public int? Limit { get; init; }
    /// <summary>Random crop, flip and the normalization's statistics of the training batches.</summary>
    public AugmentSettings Augment { get; init; } = new();
    /// <summary>Threads that gather (augment, normalize) training batches ahead of the step; 0 = on the training thread.
    /// They are taken from the training's `threads` (libtorch keeps the rest). `data=folder` also decodes on them.</summary>
    public int Workers { get; init; }
    /// <summary>Batches the workers may hold ready ahead of the step (bounds the loader's memory).</summary>
    public int Prefetch { get; init; } = 4;

    // data=folder only (conf/data/folder.yaml).
    /// <summary>data=folder: the folder's identity in the signature (`${data.root}`: `root` itself is excluded as a location).</summary>
    public string? Folder { get; init; }
    /// <summary>data=folder without train/ and test/ subfolders: the fraction of the images held out as the test split (seeded by `split_seed`).</summary>
    public double TestFraction { get; init; } = 0.2;
    /// <summary>data=folder: [height, width] every image is resized and center-cropped to; null = the first image's size.</summary>
    public int[]? ImageSize { get; init; }
    /// <summary>data=folder: 1 (grayscale) or 3 (RGB); null = as the first image is.</summary>
    public int? Channels { get; init; }
    /// <summary>data=folder: what a file that does not decode does: stop (the default: one line naming it) or skip (a warning naming it).</summary>
    public string OnCorrupt { get; init; } = "stop";
    /// <summary>data=folder: decode the folder once into a cache file and map it, rather than hold its pixels in memory
    /// (a set larger than memory; <see cref="Folder.StreamedFolder"/>). The same batches either way: not in the signature.</summary>
    public bool Stream { get; init; }

    // data=csv only (conf/data/csv.yaml, docs/data.md).
    /// <summary>data=csv: the training table (a CSV file with a header line).</summary>
    public string? Train { get; init; }
    /// <summary>data=csv: the test table (same columns); null = `test_fraction` of the training table, drawn with `split_seed`.</summary>
    public string? Test { get; init; }
    /// <summary>data=csv: the column to predict.</summary>
    public string? Target { get; init; }
    /// <summary>data=csv: classification or regression; null = inferred from the target (regression when it holds a non-integer number).</summary>
    public string? Task { get; init; }
    /// <summary>data=csv: the text columns, one-hot encoded (every other feature column must hold numbers).</summary>
    public string[] Categorical { get; init; } = [];
    /// <summary>data=csv: columns left out (identifiers, leaks).</summary>
    public string[] Drop { get; init; } = [];
    /// <summary>data=csv: a missing value (empty, NA, N/A, NaN, null): refuse (one line naming it) or mean (numbers take the training split's mean, categories all zeros).</summary>
    public string Missing { get; init; } = "refuse";
    /// <summary>data=csv: the field separator, one character.</summary>
    public string Separator { get; init; } = ",";
}

/// <summary>
/// `data.augment`: what is done to each training image when its batch is gathered (validation and test images are
/// only normalized). Every random choice is a pure function of (seed, epoch, sample index) (<see cref="Augmentation"/>).
/// </summary>
public sealed record AugmentSettings
{
    /// <summary>Random crop of the image's own size after padding each side with this many zero pixels (torchvision's RandomCrop(size, padding)); 0 = off.</summary>
    public int CropPadding { get; init; }
    /// <summary>Horizontal flip with probability ½ (torchvision's RandomHorizontalFlip).</summary>
    public bool Flip { get; init; }
    /// <summary>Per-channel mean of the normalization (of pixels scaled to [0, 1]); null = computed on the training split.</summary>
    public double[]? Mean { get; init; }
    /// <summary>Per-channel standard deviation of the normalization; null = computed on the training split.</summary>
    public double[]? Std { get; init; }

    /// <summary>Whether any random transform is on.</summary>
    public bool IsRandom => CropPadding > 0 || Flip;
}
