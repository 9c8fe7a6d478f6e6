namespace Loom.TensorBoard;

/// <summary>
/// Appends framed events to a new event file that starts with the file_version record. Records are
/// buffered; <see cref="Flush"/> puts them on disk (the XP side flushes at every epoch).
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    readonly FileStream stream;

    /// <summary>Creates a new file in <paramref name="folder"/> (created if needed).</summary>
    public EventFileWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        Path = EventFileName.NewPath(folder, DateTimeOffset.UtcNow);
        stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        Write(EventMessages.FileVersionEvent(WallClock.Now()));
    }

    public string Path { get; }

    /// <summary>Writes one serialized event as a TFRecord.</summary>
    public void Write(byte[] eventPayload) => stream.Write(TfRecord.Frame(eventPayload));

    public void Flush() => stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }
}
