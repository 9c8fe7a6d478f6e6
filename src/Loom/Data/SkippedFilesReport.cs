using Loom.Experiments;
using Loom.Logging;

namespace Loom.Data;

/// <summary>
/// Tells about the files a data set left out (data.on_corrupt=skip) once the XP's folder and log are open: one warning
/// per file naming it (console and train.log), one line with the count, and skipped_files.json for `loom info -f`.
/// Called when the fit starts rather than while the files are read, which happens before the XP's log file exists.
/// </summary>
public static class SkippedFilesReport
{
    public static void Record(string xpFolder, IReadOnlyList<SkippedFile> skipped, Logger log)
    {
        SkippedFiles.Write(xpFolder, skipped);
        if (skipped.Count == 0) return;
        foreach (var file in skipped) log.Warning($"skipped {file.Path}: {file.Reason}");
        log.Warning($"data.on_corrupt=skip: {skipped.Count} file{(skipped.Count == 1 ? "" : "s")} left out of the data set (listed in {SkippedFiles.FileName})");
    }
}
