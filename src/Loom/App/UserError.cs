using Loom.Config;
using Loom.Data;
using Loom.Experiments;
using Loom.Training;

namespace Loom.App;

/// <summary>
/// Maps the exceptions that mean "the user's input is wrong" to a one-line message and an exit code:
/// 2 for configuration and usage errors (nothing was created), 3 for a run whose loss diverged, 1 for data
/// and checkpoint problems and a busy XP. Anything else — an ArgumentException included — is a bug and
/// keeps its stack trace.
/// </summary>
public static class UserError
{
    public const int Config = 2, Diverged = 3, Runtime = 1;

    public static int? ExitCode(Exception e) => e switch
    {
        ConfigException or UsageException or IUserInputError => Config,
        DivergedException => Diverged,
        DataException or CheckpointException or XpBusyException or Distributed.DistributedException or Distributed.MpiUnavailableException => Runtime,
        _ when NativeOutOfMemory.Is(e) => Runtime,
        _ when IO.DiskFull.Is(e) || e is IO.DiskFullException => Runtime,
        _ => null,
    };

    public static int Report(string program, Exception e, int code)
    {
        Console.Error.WriteLine($"{program}: error: {(NativeOutOfMemory.Describe(e) ?? DiskFullMessage(e) ?? e.Message).ReplaceLineEndings(" ")}");
        return code;
    }

    /// <summary>A full disk met by a writer other than Loom's own (whose <see cref="IO.DiskFullException"/> names its file).</summary>
    static string? DiskFullMessage(Exception e) =>
        e is not IO.DiskFullException && IO.DiskFull.Is(e) ? $"the disk is full: {e.Message}; free space, then run the same command again to resume" : null;
}

/// <summary>A command line that makes no sense (conflicting flags, missing argument).</summary>
public sealed class UsageException(string message) : Exception(message);
