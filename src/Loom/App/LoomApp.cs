using System.CommandLine;

namespace Loom.App;

/// <summary>
/// The one entry point of an app built on Loom: <c>return LoomApp.Run(args, app => app.Task&lt;MyTask&gt;());</c>
/// gives the app `train`, `info`, `grid`, `launch`, `run`, `cancel`, `export`, `import` (and the scheduler's
/// workers run the app itself). Bad input is one line on stderr and exit 2 (configuration, usage), 3 (a
/// diverged run) or 1 (data, checkpoints, busy XP); anything else is a bug and keeps its stack trace.
/// </summary>
public static class LoomApp
{
    public static int Run(string[] args, Action<LoomAppBuilder> configure)
    {
        // The process-wide platform tweaks (glibc's allocator, ...) follow the XP's loom.platform section: XpRun applies
        // them before libtorch loads or allocates anything.
        var builder = new LoomAppBuilder();
        configure(builder);
        var app = builder.Build() with { Args = args };
        try
        {
            var root = LoomCommandLine.Build(app);
            var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            // A bad flag or a missing option is one line and exit 2, like every other input error (not the help page).
            if (parsed.Errors.Count > 0)
            {
                // "Unrecognized command or argument 'x'" names the culprit; "Required command was not provided" does not.
                var error = parsed.Errors.FirstOrDefault(e => e.Message.Contains('\'')) ?? parsed.Errors[0];
                string help = parsed.CommandResult.Command == root ? $"{app.Name} --help" : $"{app.Name} {parsed.CommandResult.Command.Name} --help";
                throw new UsageException($"{error.Message} (see {help})");
            }
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.ExitCode(e) is int code)
        {
            return UserError.Report(app.Name, e, code);
        }
    }
}
