using Loom.Config;

namespace Loom.Reporting;

/// <summary>
/// The user's input to a reporting command is wrong (an unknown grid or signature, a bad metric, an
/// unwritable file, an unreadable history). The message is one line naming the culprit; the CLI prints it
/// and exits 2 (an <see cref="IUserInputError"/>).
/// </summary>
public sealed class ReportException(string message) : ArgumentException(message), IUserInputError;
