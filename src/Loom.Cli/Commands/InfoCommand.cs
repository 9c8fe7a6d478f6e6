using Loom.Config;
using Loom.Experiments;

namespace Loom.Cli.Commands;

/// <summary>
/// `loom info [overrides…] [--json]`: an XP's name, sig, folder, delta and resolved config, running nothing
/// (and loading no libtorch). `loom info -f SIG` describes an existing XP from its `.argv.json`.
/// </summary>
public static class InfoCommand
{
    public static int Run(string confDir, IReadOnlyList<string> overrides, string? sig, bool json)
    {
        Xp xp;
        if (sig is not null)
        {
            if (overrides.Count > 0) throw new UsageException("info -f SIG takes no overrides");
            var defaults = ConfigComposer.ComposeDefaults(confDir).Config;
            xp = Xp.FromFolder(confDir, Xp.OutputsRoot(defaults), sig);
        }
        else
        {
            xp = Xp.Create(confDir, overrides);
        }
        Console.Out.Write(json ? XpDescription.Json(xp) + "\n" : XpDescription.Text(xp));
        return 0;
    }
}
