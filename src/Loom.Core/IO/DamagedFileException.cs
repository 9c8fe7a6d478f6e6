using Loom.Config;

namespace Loom.IO;

/// <summary>
/// A file Loom wrote earlier (an XP's `history.json` or `.argv.json`, the queue's `jobs.db`) that is truncated,
/// garbage or hand-edited out of shape: one line naming the file, what is wrong and what to do, exit 2. An
/// <see cref="IOException"/>: the file is unreadable as it is.
/// </summary>
public sealed class DamagedFileException(string path, string what, string remedy)
    : IOException($"{path} is damaged ({what.ReplaceLineEndings(" ")}): {remedy}"), IUserInputError
{
    public string FilePath { get; } = path;
}
