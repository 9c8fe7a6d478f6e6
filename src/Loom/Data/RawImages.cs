namespace Loom.Data;

/// <summary>
/// An image-classification data set as read from its files, before any tensor exists: N×C×H×W pixel bytes and
/// one label byte per image, for the training and test sets. The pixels are a <see cref="ImagePixels"/>: a
/// <c>byte[]</c> converts to one, and `data.stream` maps them from a cache file instead (<see cref="Folder.StreamedFolder"/>). Reading it needs no libtorch, so it can run while
/// libtorch loads (<see cref="Tasks.LoomTask{TSettings}.PrepareData"/>). <paramref name="ClassNames"/>: by label, where the
/// files name the classes (an image folder's subfolders).
/// </summary>
public sealed record RawImages(ImagePixels TrainPixels, byte[] TrainLabels, ImagePixels TestPixels, byte[] TestLabels,
    int Channels, int Height, int Width, int Classes, IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>The files left out because they do not decode (data.on_corrupt=skip); empty when none was.</summary>
    public IReadOnlyList<Experiments.SkippedFile> Skipped { get; init; } = [];
    /// <summary>Lines for the XP's log about how the files were read (the streamed cache reused or rebuilt), written
    /// once the log is open, as <see cref="Skipped"/> is.</summary>
    public IReadOnlyList<DataNote> Notes { get; init; } = [];
}

/// <summary>One line for the XP's log from the data set's reading; <paramref name="Warning"/> for a warning, else information.</summary>
public readonly record struct DataNote(string Text, bool Warning = false);
