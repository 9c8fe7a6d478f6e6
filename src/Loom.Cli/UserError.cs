using Loom.Config;
using Loom.Experiments;
using Loom.Data;
using Loom.Training;

namespace Loom.Cli;

/// <summary>
/// Maps the exceptions that mean "the user's input is wrong" to a one-line message and an exit code:
/// 2 for configuration and usage errors (nothing was created), 1 for data and checkpoint problems.
/// Anything else is a bug and keeps its stack trace.
/// </summary>
public static class UserError
{
    public static int? ExitCode(Exception e) => e switch
    {
        ConfigException or ArgumentException or UsageException => 2,
        DataException or CheckpointException or XpBusyException => 1,
        _ => null,
    };

    public static int Report(Exception e, int code)
    {
        Console.Error.WriteLine($"loom: error: {e.Message.ReplaceLineEndings(" ")}");
        return code;
    }
}

/// <summary>A command line that makes no sense (conflicting flags, missing argument).</summary>
public sealed class UsageException(string message) : Exception(message);
