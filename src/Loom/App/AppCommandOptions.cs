using System.CommandLine;
using Loom.App.Commands;

namespace Loom.App;

/// <summary>
/// What a command plugged into an app (<see cref="LoomAppBuilder.Command"/>: reporting's `report`, `plot`,
/// `serve`) shares with the built-in ones: the app's name and the `--conf` and `--outputs` options, resolved
/// the same way (--conf, else $LOOM_CONF or ./conf, else the app's bundled conf; --outputs, else the conf's
/// `loom.outputs`).
/// </summary>
public sealed class AppCommandOptions
{
    readonly string defaultConf;

    internal AppCommandOptions(string appName, string defaultConf, Option<string?> conf, Option<string?> outputs)
    {
        AppName = appName;
        this.defaultConf = defaultConf;
        Conf = conf;
        Outputs = outputs;
    }

    /// <summary>The program name in help and messages.</summary>
    public string AppName { get; }

    /// <summary>`--conf`: add it to the command.</summary>
    public Option<string?> Conf { get; }

    /// <summary>`--outputs`: add it to the command.</summary>
    public Option<string?> Outputs { get; }

    /// <summary>The config folder this invocation uses.</summary>
    public string ConfDir(ParseResult parsed) => ConfFolder.Resolve(parsed.GetValue(Conf), defaultConf);

    /// <summary>The outputs folder this invocation uses.</summary>
    public string OutputsRoot(ParseResult parsed) => CommandContext.OutputsRoot(ConfDir(parsed), parsed.GetValue(Outputs));
}
