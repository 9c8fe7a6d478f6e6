namespace Loom.Data;

/// <summary>
/// An image-classification data set as read from its files, before any tensor exists: N×C×H×W pixel bytes and
/// one label byte per image, for the training and test sets. Reading it needs no libtorch, so it can run while
/// libtorch loads (<see cref="Tasks.LoomTask{TSettings}.PrepareData"/>). <paramref name="ClassNames"/>: by label, where the
/// files name the classes (an image folder's subfolders).
/// </summary>
public sealed record RawImages(byte[] TrainPixels, byte[] TrainLabels, byte[] TestPixels, byte[] TestLabels,
    int Channels, int Height, int Width, int Classes, IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>The files left out because they do not decode (data.on_corrupt=skip); empty when none was.</summary>
    public IReadOnlyList<Experiments.SkippedFile> Skipped { get; init; } = [];
}
