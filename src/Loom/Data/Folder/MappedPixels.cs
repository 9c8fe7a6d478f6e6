using System.IO.MemoryMappedFiles;

namespace Loom.Data.Folder;

/// <summary>
/// Pixel bytes read straight from a region of a file mapped read-only into memory (`data.stream`): the kernel pages
/// them in on first touch and may drop them again under memory pressure (they are page cache, not the process's
/// own memory), so a data set larger than RAM trains. Reads are plain memory reads, thread-safe. The file must not
/// be truncated while mapped (Loom only ever replaces a cache file by rename, which keeps the mapped one alive).
/// </summary>
public sealed unsafe class MappedPixels : ImagePixels
{
    readonly MemoryMappedFile file;
    readonly MemoryMappedViewAccessor view;
    readonly byte* start;
    readonly long length;

    /// <summary>Maps bytes [<paramref name="offset"/>, offset+<paramref name="length"/>) of <paramref name="path"/>.</summary>
    public MappedPixels(string path, long offset, long length)
    {
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            view = file.CreateViewAccessor(offset, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            start = pointer + view.PointerOffset; // the view begins at a page boundary; the region may not
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
        this.length = length;
    }

    public override long Length => length;

    public override ReadOnlySpan<byte> AsSpan(long offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes [{offset}, {offset + count}) of a mapped region of {length}");
        return new ReadOnlySpan<byte>(start + offset, count);
    }

    protected override void Free()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
