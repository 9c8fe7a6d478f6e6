namespace Loom.TensorBoard;

/// <summary>Reads the records of every event file in a folder, in TensorBoard's order.</summary>
public static class EventFolder
{
    /// <summary>Records of all files; a file's damaged tail (a writer killed mid-record) is ignored.</summary>
    public static IEnumerable<EventRecord> Read(string folder) => Read(EventFileName.InFolder(folder));

    public static IEnumerable<EventRecord> Read(IEnumerable<string> files) =>
        files.SelectMany(f => TfRecord.ReadPayloads(File.ReadAllBytes(f), out _)).Select(EventRecord.Parse);
}
