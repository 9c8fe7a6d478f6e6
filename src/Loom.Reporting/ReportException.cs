namespace Loom.Reporting;

/// <summary>
/// The user's input to a reporting command is wrong (an unknown grid or signature, a bad metric, an
/// unwritable file, an unreadable history). An <see cref="ArgumentException"/> so that the CLI prints it as
/// one line and exits 2, like its other usage errors.
/// </summary>
public sealed class ReportException(string message) : ArgumentException(message);
